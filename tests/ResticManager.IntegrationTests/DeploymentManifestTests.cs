using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The deployment files checked offline: both Kubernetes overlays render and follow the restricted
/// profile, and the compose file wires every service to healthy dependencies; images, ports, env
/// vars and secrets all point at something that exists.
/// </summary>
public sealed class DeploymentManifestTests(ITestOutputHelper output)
{
    static readonly string[] AppServices = ["inventory", "jobs", "snapshots", "schedules", "notifications", "broker", "gateway"];

    static List<Dictionary<object, object>> Documents(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new MergingParser(new Parser(new StringReader(yaml)));
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            if (deserializer.Deserialize(parser) is Dictionary<object, object> document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    static Dictionary<object, object> Map(object? node, string key) =>
        (node as Dictionary<object, object>)?.GetValueOrDefault(key) as Dictionary<object, object> ?? [];

    static List<object> List(object? node, string key) =>
        (node as Dictionary<object, object>)?.GetValueOrDefault(key) as List<object> ?? [];

    static string? Text(object? node, string key) => (node as Dictionary<object, object>)?.GetValueOrDefault(key)?.ToString();

    static async Task<string> RenderAsync(string overlay)
    {
        await using var kubectl = ChildProcess.Start("kubectl", "kubectl", ["kustomize", Path.Combine(RepoPaths.Root, "k8s", "overlays", overlay)]);
        var code = await kubectl.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"kubectl kustomize {overlay} failed:\n{kubectl.Output}");
        return string.Join('\n', kubectl.Output.Split('\n').Where(l => !l.StartsWith("# Warning:", StringComparison.Ordinal)));
    }

    /// <summary>The documented configuration keys (README), in environment form.</summary>
    static HashSet<string> DocumentedSettings()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        return Regex.Matches(readme, @"`([A-Z][A-Za-z]+(?::[A-Za-z]+)+)`").Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)).ToHashSet();
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task An_overlay_renders_and_every_container_has_probes_resources_and_the_restricted_profile(string overlay)
    {
        var documents = Documents(await RenderAsync(overlay));
        var workloads = documents.Where(d => Text(d, "kind") is "Deployment" or "StatefulSet").ToList();
        Assert.Equal(AppServices.Order(), workloads.Where(w => Text(Map(w, "metadata"), "name") is { } n && AppServices.Contains(n)).Select(w => Text(Map(w, "metadata"), "name")!).Order());
        if (overlay == "dev")
        {
            Assert.Contains(workloads, w => Text(w, "kind") == "StatefulSet" && Text(Map(w, "metadata"), "name") == "rabbitmq");
            Assert.Contains(workloads, w => Text(w, "kind") == "StatefulSet" && Text(Map(w, "metadata"), "name") == "sqlserver");
        }
        else
        {
            Assert.DoesNotContain(workloads, w => Text(w, "kind") == "StatefulSet");
        }

        var secretKeys = documents.Where(d => Text(d, "kind") == "Secret").SelectMany(d => Map(d, "data").Keys.Select(k => k.ToString()!)).ToHashSet();
        var configKeys = documents.Where(d => Text(d, "kind") == "ConfigMap").SelectMany(d => Map(d, "data").Keys.Select(k => k.ToString()!)).ToHashSet();
        var documented = DocumentedSettings();
        var compose = ComposeServices();
        foreach (var workload in workloads)
        {
            var name = Text(Map(workload, "metadata"), "name");
            var pod = Map(Map(workload, "spec"), "template");
            var podSpec = Map(pod, "spec");
            var podSecurity = Map(podSpec, "securityContext");
            Assert.Equal("RuntimeDefault", Text(Map(podSecurity, "seccompProfile"), "type"));
            var replicas = int.Parse(Text(Map(workload, "spec"), "replicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            if (replicas > 1)
            {
                Assert.Contains(documents, d => Text(d, "kind") == "PodDisruptionBudget" && Text(Map(Map(Map(d, "spec"), "selector"), "matchLabels"), "app.kubernetes.io/name") == name);
            }

            foreach (var container in List(podSpec, "containers").Cast<Dictionary<object, object>>())
            {
                var where = $"{overlay}/{name}/{Text(container, "name")}";
                Assert.True(Map(container, "readinessProbe").Count > 0, $"{where}: readiness probe");
                Assert.True(Map(container, "livenessProbe").Count > 0, $"{where}: liveness probe");
                Assert.True(Map(Map(container, "resources"), "requests").Count > 0 && Map(Map(container, "resources"), "limits").Count > 0, $"{where}: resources");
                var security = Map(container, "securityContext");
                Assert.Equal("false", Text(security, "allowPrivilegeEscalation"));
                Assert.Equal("true", Text(security, "readOnlyRootFilesystem"));
                Assert.Equal("true", Text(security, "runAsNonRoot") ?? Text(podSecurity, "runAsNonRoot"));
                Assert.Equal(["ALL"], List(Map(security, "capabilities"), "drop").Select(o => o.ToString()));

                foreach (var env in List(container, "env").Cast<Dictionary<object, object>>())
                {
                    var from = Map(env, "valueFrom");
                    if (Map(from, "secretKeyRef") is { Count: > 0 } secretRef && overlay == "dev" && Text(secretRef, "optional") != "true")
                    {
                        Assert.True(secretKeys.Contains(Text(secretRef, "key")!), $"{where}: secret key {Text(secretRef, "key")} exists");
                    }

                    if (Map(from, "configMapKeyRef") is { Count: > 0 } configRef)
                    {
                        Assert.True(configKeys.Contains(Text(configRef, "key")!), $"{where}: config key {Text(configRef, "key")} exists");
                    }
                }

                var image = Text(container, "image")!;
                if (!image.StartsWith("resticmanager/", StringComparison.Ordinal))
                {
                    continue;
                }

                // Our images: built from a project that exists, listening where the image says, configured by documented keys.
                Assert.True(compose.TryGetValue(name!, out var project) && Directory.Exists(Path.Combine(RepoPaths.Root, project)), $"{where}: image {image} is built from an existing project");
                Assert.Contains(List(container, "ports").Cast<Dictionary<object, object>>(), p => Text(p, "containerPort") == "8080");
                var names = List(container, "env").Cast<Dictionary<object, object>>().Select(e => Text(e, "name")!).Concat(configKeys.Where(k => k.Contains("__", StringComparison.Ordinal)));
                foreach (var variable in names)
                {
                    Assert.True(documented.Contains(variable) || variable == "MQTT_PUBLIC_URL", $"{where}: {variable} is a documented setting");
                }
            }
        }

        output.WriteLine($"{overlay}: {documents.Count} objects, {workloads.Count} workloads");
    }

    /// <summary>Compose service name → the project its image is built from.</summary>
    static Dictionary<string, string> ComposeServices()
    {
        var compose = Documents(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"))).Single();
        return Map(compose, "services")
            .Where(s => Text(Map(Map(s.Value, "build"), "args"), "PROJECT") is not null)
            .ToDictionary(s => s.Key.ToString()!, s => Text(Map(Map(s.Value, "build"), "args"), "PROJECT")!);
    }

    [Fact]
    public void The_compose_file_runs_every_service_behind_healthy_dependencies()
    {
        var compose = Documents(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"))).Single();
        var services = Map(compose, "services");
        Assert.Equal(AppServices.Append("rabbitmq").Append("sqlserver").Order(), services.Keys.Select(k => k.ToString()!).Order());
        foreach (var (key, value) in services)
        {
            var name = key.ToString()!;
            Assert.True(List(Map(value, "healthcheck"), "test").Count > 0, $"{name} has a health check");
            if (!AppServices.Contains(name))
            {
                continue;
            }

            var dependsOn = Map(value, "depends_on");
            foreach (var dependency in new[] { "rabbitmq", "sqlserver" }.Concat(name == "gateway" ? AppServices.Where(s => s != "gateway") : []))
            {
                Assert.Equal("service_healthy", Text(dependsOn.GetValueOrDefault(dependency), "condition"));
            }

            var project = Text(Map(Map(value, "build"), "args"), "PROJECT")!;
            Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, project)), $"{name} builds {project}");
            Assert.Equal("services/Dockerfile", Text(Map(value, "build"), "dockerfile"));
            Assert.Equal("RabbitMq", Text(Map(value, "environment"), "Bus__Transport"));
            Assert.Equal("SqlServer", Text(Map(value, "environment"), "Database__Provider"));
        }

        var volumes = Map(compose, "volumes").Keys.Select(k => k.ToString()).ToList();
        Assert.Contains("rabbitmq-data", volumes);
        Assert.Contains("sqlserver-data", volumes);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "services", "Dockerfile")));
    }
}
