using System.Security.Cryptography;
using EpiGrid.People;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EpiGrid.Tests.Security;

/// <summary>The identity hash key: a placeholder or a low-entropy key stops the web host at start-up.</summary>
public sealed class HashKeyTests
{
    static string StartFailure(string hashKey)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Development");
            host.UseSetting("Auth:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
            host.UseSetting("PersonalData:HashKey", hashKey);
        });
        return Should.Throw<Exception>(() => factory.CreateClient()).ToString();
    }

    [Theory]
    [InlineData("CHANGE-ME-to-at-least-32-random-bytes-base64")] // what deploy/k8s/secret.yaml shipped
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("01234567890123456789012345678901")]
    [InlineData("abababababababababababababababababababab")]
    [InlineData("your-hash-key-goes-here-please-replace-it")]
    public void A_placeholder_or_low_entropy_key_stops_the_web_host_at_start_up(string key) =>
        StartFailure(key).ShouldContain("PersonalData:HashKey");

    [Fact]
    public void Keys_as_run_sh_the_tests_and_the_deploy_notes_generate_them_are_good()
    {
        for (var i = 0; i < 200; i++)
        {
            HashKeyQuality.Problem(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))).ShouldBeNull(); // run.sh: head -c 48 /dev/urandom | base64
            HashKeyQuality.Problem(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).ShouldBeNull(); // openssl rand -base64 32, the tests
            HashKeyQuality.Problem(Convert.ToHexString(RandomNumberGenerator.GetBytes(32))).ShouldBeNull();    // the benchmark
        }
        HashKeyQuality.Problem("CHANGE-ME-to-at-least-32-random-bytes-base64").ShouldNotBeNull();
        HashKeyQuality.Problem("short").ShouldNotBeNull();
    }
}
