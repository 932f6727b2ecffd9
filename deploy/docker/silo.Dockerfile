# EpiGrid silo. Build from the repository root: docker build -f deploy/docker/silo.Dockerfile -t epigrid/silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Silo-to-silo, gateway (web hosts), Prometheus metrics, health (/health/live, /health/ready).
# No HEALTHCHECK: the aspnet base image has no curl or wget. Orchestrators probe the health port over HTTP.
EXPOSE 11111 30000 9464 8081
ENV DOTNET_ENVIRONMENT=Production \
    Cluster__Clustering=redis \
    Observability__MetricsPort=9464 \
    Observability__MetricsHost=+ \
    Observability__HealthPort=8081 \
    Logging__Console__FormatterName=json
ENTRYPOINT ["dotnet", "EpiGrid.Silo.dll"]
