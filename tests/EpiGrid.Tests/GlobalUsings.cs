global using Xunit;
global using Shouldly;
global using Orleans;
