package io.herald.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes examples in {@code deploy/kubernetes}: they parse, hold the objects docs/deploy.md describes, and agree
 * with the server and its image (port, health paths, user, data directory, drain on SIGTERM).
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void singleNode_diskEngineOnAVolumeWithOneReplica() throws IOException {
        List<JsonNode> docs = read("single-node.yaml");

        assertThat(kinds(docs)).containsExactly("PersistentVolumeClaim", "Deployment", "Service");
        JsonNode deployment = only(docs, "Deployment", "herald");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        checkHeraldPod(deployment);
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(mountPaths(container)).contains("/var/lib/herald");
        String claim = volume(deployment, "data")
                .at("/persistentVolumeClaim/claimName")
                .asText();
        assertThat(only(docs, "PersistentVolumeClaim", claim).isMissingNode()).isFalse();
        assertThat(deployment.at("/spec/template/spec/securityContext/fsGroup").asInt())
                .isEqualTo(10001);
        checkService(only(docs, "Service", "herald"), deployment);
    }

    @Test
    void redisCluster_threeHeraldReplicasOnTheRedisService() throws IOException {
        List<JsonNode> docs = read("redis-cluster.yaml");

        assertThat(kinds(docs))
                .containsExactly("PersistentVolumeClaim", "Deployment", "Service", "Deployment", "Service");
        JsonNode herald = only(docs, "Deployment", "herald");
        assertThat(herald.at("/spec/replicas").asInt()).isEqualTo(3);
        checkHeraldPod(herald);
        String args = strings(herald.at("/spec/template/spec/containers/0/args")).stream()
                .collect(Collectors.joining(" "));
        assertThat(args).contains("--engine redis").contains("--redis redis://redis:6379");
        checkService(only(docs, "Service", "herald"), herald);

        JsonNode redis = only(docs, "Deployment", "redis");
        JsonNode redisService = only(docs, "Service", "redis");
        assertThat(redisService.at("/spec/ports/0/port").asInt()).isEqualTo(6379);
        assertThat(redis.at("/spec/template/spec/containers/0/ports/0/containerPort")
                        .asInt())
                .isEqualTo(6379);
        assertSelects(redisService.at("/spec/selector"), redis);
        assertSelects(redis.at("/spec/selector/matchLabels"), redis);
        // what the Redis engine needs (docs/redis.md): no eviction, every write in the append-only file
        assertThat(strings(redis.at("/spec/template/spec/containers/0/args")))
                .containsSubsequence("--appendonly", "yes")
                .containsSubsequence("--appendfsync", "always")
                .containsSubsequence("--maxmemory-policy", "noeviction");
    }

    /** Probes, port, user, keys and the stop sequence of a Herald pod. */
    private static void checkHeraldPod(JsonNode deployment) {
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(deployment.at("/spec/selector/matchLabels"))
                .isEqualTo(deployment.at("/spec/template/metadata/labels"));
        JsonNode c = pod.at("/containers/0");
        assertThat(c.at("/image").asText()).startsWith("herald:");
        assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(c.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
        }
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(mountPaths(c)).contains("/tmp");
        assertThat(env(c, "HERALD_KEYS").at("/valueFrom/secretKeyRef/key").asText())
                .isEqualTo("HERALD_KEYS");
        // the pod is given time for the preStop pause and then the server's drain, with a margin
        int preStop = c.at("/lifecycle/preStop/sleep/seconds").asInt();
        assertThat(preStop).isPositive();
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt())
                .isGreaterThan(preStop + ServerConfig.DEFAULT_DRAIN_SECONDS);
    }

    private static void checkService(JsonNode service, JsonNode deployment) {
        assertSelects(service.at("/spec/selector"), deployment);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    }

    /** The selector is not empty and every label it names is on the deployment's pods. */
    private static void assertSelects(JsonNode selector, JsonNode deployment) {
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertThat(selector.size()).isPositive();
        selector.fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey()))
                        .as("label " + e.getKey() + " on the pods of "
                                + deployment.at("/metadata/name").asText())
                        .isEqualTo(e.getValue()));
    }

    private static List<JsonNode> read(String file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(DIR.resolve(file).toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    assertThat(doc.path("apiVersion").asText())
                            .as("apiVersion in " + file)
                            .isNotBlank();
                    assertThat(doc.at("/metadata/name").asText())
                            .as("metadata.name in " + file)
                            .isNotBlank();
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static JsonNode only(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = docs.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .filter(d -> d.at("/metadata/name").asText().equals(name))
                .toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> mountPaths(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> out.add(m.path("mountPath").asText()));
        return out;
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(
                "no env " + name + " in " + container.path("name").asText());
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
