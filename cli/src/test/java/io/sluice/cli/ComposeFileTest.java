package io.sluice.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml against what the code expects of it. Needs no Docker; the last test asks
 * {@code docker compose config} for its verdict too, where a Docker with compose is installed.
 */
class ComposeFileTest {

    /** The sluice services, each named after the `sluice` command it runs; dcb-api runs the decider and events sink too. */
    private static final List<String> PIPELINE = List.of("resolver", "ratelimiter", "fetcher", "records-sink",
            "flattener", "etl-sink", "dcb-api", "monitor");
    /** Where the connector JSON (connect-config/) expects the worker's MongoDB credentials. */
    private static final String MONGO_SECRETS = "/opt/kafka/secrets/mongo.properties";

    private static Path root;
    private static String composeText;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docker-compose.yml")) || !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
            assertThat(root).as("docker-compose.yml in a parent of the working directory").isNotNull();
        }
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(composeText);
        services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).isNotEmpty();
    }

    @Test
    void everyServiceHasAnImageOrBuildAndAHealthcheck() {
        services.forEach((name, service) -> {
            assertThat(service.get("image") != null || service.get("build") != null).as(name + " image or build").isTrue();
            Map<String, Object> healthcheck = map(service.get("healthcheck"));
            assertThat(healthcheck).as(name + " healthcheck").containsKey("test").doesNotContainKey("disable");
        });
    }

    @Test
    void dependenciesWaitForHealthyServices() {
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) return;
            assertThat(dependsOn).as(name + " depends_on in long form, with conditions").isInstanceOf(Map.class);
            map(dependsOn).forEach((dependency, spec) -> {
                assertThat(services).as(name + " depends on a service that exists").containsKey(dependency);
                assertThat(map(spec)).as(name + " -> " + dependency).containsEntry("condition", "service_healthy");
            });
        });
    }

    @Test
    void kafkaListensOn9092InsideTheNetwork() {
        Map<String, Object> env = environment("kafka");
        assertThat(image("kafka")).startsWith("apache/kafka:");
        assertThat((String) env.get("KAFKA_PROCESS_ROLES")).contains("broker", "controller");
        assertThat((String) env.get("KAFKA_LISTENERS")).contains("PLAINTEXT://:9092");
        assertThat((String) env.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
    }

    @Test
    void registryIsApicurioWithBackwardCompatibilityOn8080() {
        assertThat(image("registry")).isEqualTo("apicurio/apicurio-registry:3.3.3");
        assertThat(environment("registry")).containsEntry("APICURIO_RULES_GLOBAL_COMPATIBILITY", "BACKWARD");
        assertThat(containerPorts("registry")).contains("8080");
        assertThat(services.get("registry").get("healthcheck").toString()).contains("/apis/ccompat/v7");
    }

    @Test
    void postgresIs17On5432() {
        assertThat(image("postgres")).startsWith("postgres:17");
        assertThat(containerPorts("postgres")).contains("5432");
    }

    @Test
    void mongodbIs8AsAReplicaSetOn27017() {
        assertThat(image("mongodb")).startsWith("mongo:8");
        assertThat(containerPorts("mongodb")).contains("27017");
        List<Object> command = list(services.get("mongodb").get("command"));
        assertThat(command).contains("--replSet");
        String replicaSet = (String) command.get(command.indexOf("--replSet") + 1);
        assertThat(services.get("mongodb").get("healthcheck").toString())
                .contains("rs.initiate", "_id: '" + replicaSet + "'", "host: 'mongodb:27017'");
    }

    @Test
    void connectIsDebezium3On8083() {
        assertThat(image("connect")).isEqualTo("sluice-connect:local"); // FROM quay.io/debezium/connect, see below
        assertThat(containerPorts("connect")).contains("8083");
        assertThat(environment("connect")).containsEntry("BOOTSTRAP_SERVERS", "kafka:9092");
        assertThat(image("kafka-ui")).startsWith("kafbat/kafka-ui:");
    }

    @Test
    void sluiceServicesAreBuiltHereAndPointAtTheComposeServices() {
        Set<String> sluiceServices = services.entrySet().stream()
                .filter(e -> e.getValue().get("build") instanceof Map<?, ?> build && "sluice".equals(build.get("target")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(sluiceServices).contains("stack-check").containsAll(PIPELINE);
        for (String name : sluiceServices) {
            Map<String, Object> env = environment(name);
            assertThat(env).as(name)
                    .containsEntry("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092")
                    .containsEntry("SLUICE_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7");
            assertThat((String) env.get("SLUICE_PG_URL")).as(name).startsWith("jdbc:postgresql://postgres:5432/");
        }
        for (String name : PIPELINE) {
            assertThat(list(services.get(name).get("command"))).as(name).first().isEqualTo(name);
        }
        assertThat(list(services.get("stack-check").get("command"))).first().isEqualTo("stack");
    }

    @Test
    void dockerComposeUpStartsEverythingThePipelineIncluded() {
        services.forEach((name, service) -> assertThat(service).as(name + " in no profile").doesNotContainKey("profiles"));
        assertThat(composeText).doesNotContain("--profile");
    }

    @Test
    void theHttpServicesListenOnEveryInterfaceOfTheirContainerAndArePublished() {
        assertThat(list(services.get("dcb-api").get("command"))).containsSequence("--host", "0.0.0.0")
                .containsSequence("--port", "8080").containsSequence("--grpc-port", "9090");
        assertThat(containerPorts("dcb-api")).containsExactly("8080", "9090");
        assertThat(list(services.get("monitor").get("command"))).containsSequence("--host", "0.0.0.0")
                .containsSequence("--port", "8080");
        assertThat(containerPorts("monitor")).containsExactly("8080");
    }

    @Test
    void theMonitorScrapesTheRateLimitersPerHostMetricsAcrossTheNetwork() {
        List<Object> limiter = list(services.get("ratelimiter").get("command"));
        // 127.0.0.1, the default, would be the limiter's own container only
        assertThat(limiter).as("ratelimiter command").containsSequence("--metrics-host", "0.0.0.0").contains("--metrics-port");
        int metricsPort = Integer.parseInt(String.valueOf(limiter.get(limiter.indexOf("--metrics-port") + 1)));
        List<Object> monitor = list(services.get("monitor").get("command"));
        assertThat(monitor).as("monitor command").contains("--ratelimiter-metrics");
        assertThat(String.valueOf(monitor.get(monitor.indexOf("--ratelimiter-metrics") + 1)))
                .isEqualTo("http://ratelimiter:" + metricsPort + "/metrics");
        // and both are options the commands really have
        for (List<Object> command : List.of(limiter, monitor)) {
            Sluice.commandLine().parseArgs(command.stream().map(String::valueOf).toArray(String[]::new));
        }
    }

    @Test
    void connectIsBuiltWithSluicesConverterInItsPluginPath() throws IOException {
        Map<String, Object> connect = services.get("connect");
        assertThat(map(connect.get("build"))).containsEntry("context", ".").containsEntry("target", "connect");
        assertThat(map(services.get("stack-check").get("build"))).containsEntry("target", "sluice");

        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        String debezium = property(Files.readString(root.resolve("pom.xml")), "debezium.version");
        // Base images are build arguments whose defaults are the official images.
        assertThat(dockerfile).contains("ARG CONNECT_IMAGE=quay.io/debezium/connect:" + debezium + "\n")
                .contains("FROM ${CONNECT_IMAGE} AS connect")
                .contains("ARG RUNTIME_IMAGE=eclipse-temurin:21-jre\n").contains("FROM ${RUNTIME_IMAGE} AS runtime")
                .contains("FROM runtime AS sluice");
        // The sluice stage is last, so a plain `docker build .` makes the sluice image.
        assertThat(dockerfile.lastIndexOf(" AS sluice")).isGreaterThan(dockerfile.lastIndexOf(" AS connect"));
        Matcher copy = Pattern.compile("COPY --from=build (\\S+) /kafka/connect/([a-z0-9-]+)/").matcher(dockerfile);
        assertThat(copy.find()).as("a plugin directory copied into the image's plugin path /kafka/connect").isTrue();
        assertThat(dockerfile).as("the plugin directory is the schemas jar with its runtime dependencies")
                .contains("-pl schemas dependency:copy-dependencies", "-DincludeScope=runtime",
                        "-DoutputDirectory=" + copy.group(1).replaceAll("/$", ""), "name 'sluice-schemas-*.jar'")
                .containsPattern("-DexcludeGroupIds=\\S*org\\.apache\\.kafka");

        String connector = Files.readString(root.resolve("connect-config/src/main/resources/mongodb-users-source.json"));
        Matcher converter = Pattern.compile("\"value\\.converter\": \"([a-zA-Z.]+)\"").matcher(connector);
        assertThat(converter.find()).isTrue();
        assertThat(root.resolve("schemas/src/main/java/" + converter.group(1).replace('.', '/') + ".java"))
                .as("the converter the connector names is in the schemas jar").exists();
    }

    @Test
    void connectResolvesTheConnectorsSecretsFromAMountedFile() throws IOException {
        String worker = Files.readString(root.resolve("connect-config/src/main/resources/connect-worker.properties"));
        Map<String, Object> env = environment("connect");
        assertThat(worker).contains("config.providers=" + env.get("CONNECT_CONFIG_PROVIDERS"))
                .contains("config.providers.file.class=" + env.get("CONNECT_CONFIG_PROVIDERS_FILE_CLASS"));
        assertThat(Files.readString(root.resolve("connect-config/src/main/resources/mongodb-users-source.json")))
                .contains("${file:" + MONGO_SECRETS + ":user}", "${file:" + MONGO_SECRETS + ":password}");

        List<Object> configs = list(services.get("connect").get("configs"));
        assertThat(configs).hasSize(1);
        Map<String, Object> mount = map(configs.getFirst());
        assertThat(mount).containsEntry("target", MONGO_SECRETS);
        @SuppressWarnings("unchecked")
        Map<String, Object> topLevel = map(((Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(composeText)).get("configs"));
        String content = (String) map(topLevel.get(mount.get("source"))).get("content");
        assertThat(content).contains("user=${DEBEZIUM_MONGO_USER:?", "password=${DEBEZIUM_MONGO_PASSWORD:?");
        // the same user exists in MongoDB: its healthcheck creates it from the same variables
        assertThat(environment("mongodb")).containsKeys("DEBEZIUM_MONGO_USER", "DEBEZIUM_MONGO_PASSWORD");
        assertThat(services.get("mongodb").get("healthcheck").toString()).contains("createUser", "DEBEZIUM_MONGO_USER");
    }

    @Test
    void secretsComeFromTheEnvironment() {
        services.forEach((name, service) -> environment(name).forEach((key, value) -> {
            if (key.matches("(?i).*(PASSWORD|SECRET|TOKEN).*")) {
                assertThat(String.valueOf(value)).as(name + " " + key).matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}");
            }
            if (String.valueOf(value).contains("password=")) {
                assertThat(String.valueOf(value)).as(name + " " + key).contains("password=${POSTGRES_PASSWORD:?");
            }
        }));
    }

    @Test
    void everyVariableIsDocumentedInEnvExample() throws IOException {
        Set<String> documented = Files.readAllLines(root.resolve(".env.example")).stream()
                .filter(line -> line.matches("[A-Z0-9_]+=.*"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)").matcher(composeText);
        while (m.find()) used.add(m.group(1));

        assertThat(used).contains("POSTGRES_PASSWORD");
        assertThat(documented).containsAll(used);
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        assumeTrue(succeeds(false, "docker", "compose", "version"), "docker compose is not installed");

        assertThat(succeeds(true, "docker", "compose", "--env-file", ".env.example", "-f", "docker-compose.yml",
                "config", "-q")).as("docker compose config -q").isTrue();
    }

    private static boolean succeeds(boolean showOutput, String... command) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        if (showOutput) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    /** {@code <name>value</name>} in a pom. */
    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1).trim();
    }

    private static String image(String service) {
        assertThat(services).containsKey(service);
        return (String) services.get(service).get("image");
    }

    private static Map<String, Object> environment(String service) {
        return map(services.get(service).getOrDefault("environment", Map.of()));
    }

    /** Container ports of the service's published ports ("127.0.0.1:${X:-15432}:5432" -> 5432). */
    private static List<String> containerPorts(String service) {
        return ((List<?>) services.get(service).getOrDefault("ports", List.of())).stream()
                .map(String::valueOf)
                .map(p -> p.substring(p.lastIndexOf(':') + 1))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
