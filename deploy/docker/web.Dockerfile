# EpiGrid web host (an Orleans client). Build from the repository root: docker build -f deploy/docker/web.Dockerfile -t epigrid/web .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish WebHost/WebHost.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
EXPOSE 8080
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://+:8080 \
    Cluster__Clustering=redis \
    Logging__Console__FormatterName=json
# No HEALTHCHECK: the aspnet base image has no curl or wget. Orchestrators probe /health/live and /health/ready
# themselves (deploy/k8s/web.yaml; docker-compose waits on the silos' ports).
ENTRYPOINT ["dotnet", "EpiGrid.WebHost.dll"]
