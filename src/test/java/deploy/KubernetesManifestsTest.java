package deploy;

import app.ConfigLoader;
import app.ConfigOverrides;
import app.ContainerJvms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import plugins.PluginCatalog;
import supervision.MemoryBudget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The Kubernetes manifests of deploy/kubernetes agree with the configs their pods run: each Deployment's config is
 * loaded as the pod's JVM would load it (its ConfigMap file, its environment), and its ports, probes, memory limit,
 * cluster discovery, Secrets and disruption budget are checked against that config. No cluster here: this is what
 * stands for {@code kubectl apply --dry-run}.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("deploy/kubernetes");
  /** Stands for what the kubelet puts in a variable that comes from the pod or a Secret. */
  private static final String POD_IP = "10.1.2.3";

  private static Map<String, Object> kustomization;
  private static final List<Map<String, Object>> documents = new ArrayList<>();
  /** The generated ConfigMap's files: name → JSON text. */
  private static final Map<String, String> configFiles = new LinkedHashMap<>();
  private static String configMapName;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws IOException {
    kustomization = new Yaml().load(read(DIR.resolve("kustomization.yaml")));
    for (Object resource : (List<Object>) kustomization.get("resources")) {
      for (Object document : new Yaml().loadAll(read(DIR.resolve((String) resource)))) {
        if (document != null) {
          documents.add((Map<String, Object>) document);
        }
      }
    }
    List<Map<String, Object>> generators = (List<Map<String, Object>>) kustomization.get("configMapGenerator");
    assertThat(generators).hasSize(1);
    configMapName = (String) generators.get(0).get("name");
    for (Object file : (List<Object>) generators.get(0).get("files")) {
      Path path = DIR.resolve((String) file);
      configFiles.put(path.getFileName().toString(), read(path));
    }
  }

  @Test
  void everyManifestParsesAndNamesItsKind() {
    assertThat(documents).isNotEmpty().allSatisfy(document -> {
      assertThat(document).containsKeys("apiVersion", "kind", "metadata");
      assertThat(map(document, "metadata")).containsKey("name");
    });
    assertThat(deployments()).extracting(KubernetesManifestsTest::name)
      .containsExactlyInAnyOrder("change-server-hub", "change-server-plugin-fake", "change-server-plugin-blockbook", "change-server-plugin-evmrpc");
  }

  @Test
  void everyPodLoadsItsConfigWithItsEnvironmentAndEveryOverrideNamesADocumentedKey() throws IOException {
    List<Pattern> documented = documentedKeys();
    for (Map<String, Object> deployment : deployments()) {
      Pod pod = pod(deployment);
      // Throws for a ${env:NAME} the pod has no variable for, and for an override the loader refuses.
      assertThatCode(pod::config).as(name(deployment)).doesNotThrowAnyException();
      for (String variable : ConfigOverrides.names(pod.environment())) {
        String key = variable.substring(ConfigOverrides.PREFIX.length()).replace("__", ".");
        assertThat(documented).as(name(deployment) + ": " + variable + " sets " + key + ", which the README's Configuration table does not list")
          .anyMatch(pattern -> pattern.matcher(key).matches());
      }
    }
  }

  @Test
  void containerPortsAndProbesAreThoseOfTheConfig() throws IOException {
    for (Map<String, Object> deployment : deployments()) {
      Pod pod = pod(deployment);
      JsonObject config = pod.config();
      JsonObject cluster = config.getJsonObject("cluster");
      assertThat(pod.port("hazelcast")).as(name(deployment)).isEqualTo(cluster.getInteger("port", 5701));
      if (config.getString("role").equals("hub")) {
        assertThat(pod.port("websocket")).as(name(deployment)).isEqualTo(config.getJsonObject("hub").getInteger("port", 8008));
        int admin = config.getJsonObject("admin", new JsonObject()).getInteger("port", 8009);
        assertThat(pod.port("admin")).isEqualTo(admin);
        assertThat(pod.probe("livenessProbe")).isEqualTo("/health:" + admin);
        assertThat(pod.probe("startupProbe")).isEqualTo("/health:" + admin);
        assertThat(pod.probe("readinessProbe")).isEqualTo("/ready:" + admin);
        assertThat(config.getJsonObject("admin").getString("host")).as("the kubelet probes the pod's address").isEqualTo("0.0.0.0");
        assertThat(config.getJsonObject("hub").getString("host")).isEqualTo("0.0.0.0");
      } else {
        // A plugin JVM has no admin endpoint: /health on its metrics port.
        int metrics = config.getJsonObject("metrics").getInteger("port");
        assertThat(pod.port("metrics")).as(name(deployment)).isEqualTo(metrics);
        assertThat(config.getJsonObject("metrics").getString("host")).as(name(deployment)).isEqualTo("0.0.0.0");
        for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
          assertThat(pod.probe(probe)).as(name(deployment) + " " + probe).isEqualTo("/health:" + metrics);
        }
      }
    }
  }

  /**
   * A hub drains on SIGTERM: its readiness probe must see the 503 and take the pod out of the Service within
   * {@code drainDelayMs}, and the pod's grace period must hold the drain plus the shutdown after it.
   */
  @Test
  void theHubsDrainFitsItsReadinessProbeAndItsGracePeriod() throws IOException {
    Map<String, Object> deployment = only("Deployment", "change-server-hub");
    Pod hub = pod(deployment);
    JsonObject config = hub.config().getJsonObject("hub");
    Map<String, Object> readiness = map(hub.container(), "readinessProbe");
    long probeMs = 1_000L * ((Integer) readiness.get("periodSeconds")) * ((Integer) readiness.get("failureThreshold"));
    assertThat(config.getLong("drainDelayMs")).as("drainDelayMs against the readiness probe's period × failureThreshold").isGreaterThan(probeMs);
    long graceSeconds = (Integer) map(map(map(deployment, "spec"), "template"), "spec").get("terminationGracePeriodSeconds");
    assertThat(graceSeconds * 1_000).as("terminationGracePeriodSeconds against the drain and 30 s of shutdown")
      .isGreaterThanOrEqualTo(config.getLong("drainDelayMs") + config.getLong("drainMs") + 30_000);
  }

  @Test
  void theClientServiceReachesTheHubsWebSocketPort() throws IOException {
    Map<String, Object> service = only("Service", "change-server");
    Pod hub = pod(only("Deployment", "change-server-hub"));
    assertThat(hub.labels()).containsAllEntriesOf(map(map(service, "spec"), "selector"));
    Map<String, Object> port = list(map(service, "spec"), "ports").get(0);
    assertThat(hub.port((String) port.get("targetPort"))).isEqualTo(hub.config().getJsonObject("hub").getInteger("port"));
  }

  @Test
  void everyPodJoinsTheClusterThroughTheHeadlessServiceOfItsNamespaceOnItsOwnAddress() throws IOException {
    Map<String, Object> headless = documents.stream()
      .filter(document -> document.get("kind").equals("Service") && "None".equals(map(document, "spec").get("clusterIP")))
      .findFirst().orElseThrow();
    Map<String, Object> spec = map(headless, "spec");
    assertThat(spec.get("publishNotReadyAddresses")).as("a pod is ready only once it has joined: discovery must list it before").isEqualTo(true);
    String serviceDns = name(headless) + "." + kustomization.get("namespace") + ".svc.cluster.local";
    for (Map<String, Object> deployment : deployments()) {
      Pod pod = pod(deployment);
      JsonObject cluster = pod.config().getJsonObject("cluster");
      assertThat(cluster.getString("join")).as(name(deployment)).isEqualTo("kubernetes");
      assertThat(cluster.getJsonObject("kubernetes").getString("serviceDns")).as(name(deployment)).isEqualTo(serviceDns);
      assertThat(cluster.getString("host")).as(name(deployment) + ": cluster.host from status.podIP").isEqualTo(POD_IP);
      assertThat(cluster.getString("name")).isEqualTo("change-server");
      assertThat(pod.labels()).as(name(deployment)).containsAllEntriesOf(map(spec, "selector"));
      assertThat(list(spec, "ports").get(0).get("port")).isEqualTo(cluster.getInteger("port", 5701));
    }
  }

  @Test
  void theHubWaitsForExactlyThePluginIdsThePluginDeploymentsServe() throws IOException {
    TreeSet<String> served = new TreeSet<>();
    JsonArray known = null;
    for (Map<String, Object> deployment : deployments()) {
      JsonObject config = pod(deployment).config();
      if (config.getString("role").equals("hub")) {
        known = config.getJsonObject("hub").getJsonArray("knownPluginIds");
      } else {
        String plugin = config.getString("plugin");
        served.addAll(PluginCatalog.pluginIds(plugin, config.getJsonObject("plugins", new JsonObject()).getJsonObject(plugin, new JsonObject())));
      }
    }
    assertThat(known).isNotNull();
    assertThat(new TreeSet<>(known.getList())).isEqualTo(served);
  }

  @Test
  void everyMemoryLimitHoldsItsPodsHeapsPlusTheirNonHeapAndTheLauncher() throws IOException {
    for (Map<String, Object> deployment : deployments()) {
      Pod pod = pod(deployment);
      JsonObject config = pod.config();
      Map<String, Object> resources = map(pod.container(), "resources");
      long limitMb = mebibytes((String) map(resources, "limits").get("memory"));
      assertThat(mebibytes((String) map(resources, "requests").get("memory"))).as(name(deployment) + ": request = limit, never evicted for memory").isEqualTo(limitMb);
      List<String> roles = ContainerJvms.roles(config, pod.arguments().contains("-cluster"));
      JsonObject supervisor = config.getJsonObject("supervisor", new JsonObject());
      assertThat(supervisor.getJsonObject("heapMb", new JsonObject()).fieldNames())
        .as(name(deployment) + ": every heap is set beside its limit, not a share of the limit").containsAll(new TreeSet<>(roles));
      // The image's java -jar has no heap option: it relaunches itself, so the launcher counts.
      assertThatCode(() -> MemoryBudget.check(roles, null, true, supervisor, limitMb)).as(name(deployment)).doesNotThrowAnyException();
    }
  }

  @Test
  void everySecretReachesTheConfigThroughAVariableItReferences() throws IOException {
    for (Map<String, Object> deployment : deployments()) {
      Pod pod = pod(deployment);
      String config = configFiles.get(pod.configFile());
      for (Map<String, Object> variable : list(pod.container(), "env")) {
        Map<String, Object> from = map(variable, "valueFrom");
        if (from != null && from.containsKey("secretKeyRef")) {
          assertThat(config).as(name(deployment) + ": a Secret no config refers to is a Secret handed out for nothing")
            .contains("${env:" + variable.get("name") + "}");
        }
      }
    }
  }

  @Test
  void everyDeploymentHasOneDisruptionBudgetSelectingOnlyItsPods() {
    List<Map<String, Object>> budgets = documents.stream().filter(document -> document.get("kind").equals("PodDisruptionBudget")).toList();
    for (Map<String, Object> deployment : deployments()) {
      Map<String, Object> labels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
      List<Map<String, Object>> matching = budgets.stream()
        .filter(budget -> labels.entrySet().containsAll(map(map(map(budget, "spec"), "selector"), "matchLabels").entrySet()))
        .toList();
      assertThat(matching).as(name(deployment)).hasSize(1);
      assertThat((Integer) map(deployment, "spec").get("replicas")).as(name(deployment) + ": minAvailable 1 needs a second replica to allow a drain")
        .isGreaterThan((Integer) map(matching.get(0), "spec").get("minAvailable"));
    }
    assertThat(budgets).hasSameSizeAs(deployments());
  }

  /** One Deployment's pod as the kubelet would start it. */
  private record Pod(Map<String, Object> template) {

    Map<String, Object> container() {
      List<Map<String, Object>> containers = list(map(template, "spec"), "containers");
      assertThat(containers).hasSize(1);
      return containers.get(0);
    }

    Map<String, Object> labels() {
      return map(map(template, "metadata"), "labels");
    }

    @SuppressWarnings("unchecked")
    List<String> arguments() {
      return (List<String>) container().get("args");
    }

    /** The ConfigMap file its {@code -conf} names, through the volume that mounts the generated ConfigMap. */
    String configFile() {
      String conf = arguments().get(arguments().indexOf("-conf") + 1);
      String volume = list(map(template, "spec"), "volumes").stream()
        .filter(v -> v.containsKey("configMap") && configMapName.equals(map(v, "configMap").get("name")))
        .map(v -> (String) v.get("name")).findFirst().orElseThrow();
      String mountPath = list(container(), "volumeMounts").stream().filter(m -> m.get("name").equals(volume))
        .map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
      assertThat(conf).startsWith(mountPath + "/");
      String file = conf.substring(mountPath.length() + 1);
      assertThat(configFiles).containsKey(file);
      return file;
    }

    /** Its environment: values as given, what comes from the pod or a Secret as a stand-in. */
    Map<String, String> environment() {
      Map<String, String> environment = new HashMap<>();
      for (Map<String, Object> variable : list(container(), "env")) {
        Map<String, Object> from = map(variable, "valueFrom");
        String value;
        if (from == null) {
          value = String.valueOf(variable.get("value"));
        } else if (from.containsKey("fieldRef")) {
          assertThat(map(from, "fieldRef").get("fieldPath")).isEqualTo("status.podIP");
          value = POD_IP;
        } else {
          Map<String, Object> secret = map(from, "secretKeyRef");
          assertThat(secret).containsKeys("name", "key");
          value = "secret-" + secret.get("key");
        }
        environment.put((String) variable.get("name"), value);
      }
      return environment;
    }

    JsonObject config() throws IOException {
      return ConfigLoader.load(configFiles.get(configFile()), environment());
    }

    int port(String name) {
      return list(container(), "ports").stream().filter(port -> port.get("name").equals(name))
        .map(port -> (Integer) port.get("containerPort")).findFirst().orElseThrow(() -> new AssertionError("no container port " + name));
    }

    /** "path:port number" of a probe. */
    String probe(String kind) {
      Map<String, Object> get = map(map(container(), kind), "httpGet");
      Object port = get.get("port");
      return get.get("path") + ":" + (port instanceof String named ? port(named) : port);
    }
  }

  private static Pod pod(Map<String, Object> deployment) {
    return new Pod(map(map(deployment, "spec"), "template"));
  }

  private static List<Map<String, Object>> deployments() {
    return documents.stream().filter(document -> document.get("kind").equals("Deployment")).toList();
  }

  private static Map<String, Object> only(String kind, String name) {
    List<Map<String, Object>> found = documents.stream().filter(d -> d.get("kind").equals(kind) && name(d).equals(name)).toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.get(0);
  }

  private static String name(Map<String, Object> document) {
    return (String) map(document, "metadata").get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.getOrDefault(key, List.of());
  }

  /** A Kubernetes memory quantity in MiB (the MB of heapMb and of the memory check). */
  private static long mebibytes(String quantity) {
    Matcher matcher = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
    assertThat(matcher.matches()).as("memory quantity in Mi or Gi: " + quantity).isTrue();
    long number = Long.parseLong(matcher.group(1));
    return matcher.group(2).equals("Gi") ? number * 1024 : number;
  }

  /**
   * The keys of README's Configuration table as patterns: {@code <name>} stands for one level, {@code *} for any rest;
   * a key matches its own sub-keys too ({@code supervisor.heapMb} covers {@code supervisor.heapMb.hub}).
   */
  private static List<Pattern> documentedKeys() throws IOException {
    String readme = read(Path.of("README.md"));
    String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
    List<Pattern> keys = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)`").matcher(table);
    while (row.find()) {
      String regex = Pattern.quote(row.group(1)).replace("*", "\\E.*\\Q").replaceAll("<[^>]+>", "\\\\E[^.]+\\\\Q");
      keys.add(Pattern.compile(regex + "(\\..+)?"));
    }
    assertThat(keys).hasSizeGreaterThan(40);
    return keys;
  }

  private static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
