package dev.bulwark.service.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.api.Item;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.core.ItemService;
import dev.bulwark.service.db.CacheOutboxDao;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.StoredItem;
import dev.bulwark.service.errors.ErrorHandling;
import dev.bulwark.service.errors.StrictJson;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.Ports;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The bad-input matrix, in memory: every request rejected before any database work (malformed or
 * unknown JSON, constraint violations, missing body, wrong Content-Type, a body over 64 KiB sent with
 * its Content-Length, invalid ids, bad or unexpected query parameters) gets the right status and a JSON
 * error that says what was wrong. The resource runs with the application's own error handling
 * ({@link ErrorHandling}, Dropwizard's default mappers off) and strict JSON ({@link StrictJson}), over a
 * database that fails the test if anything reaches it, so a rejected request provably touches no storage.
 *
 * <p>{@link ItemResourceIT} owns what needs the real application: the happy paths, a stored item left
 * unchanged by a rejected request of each status, the chunked body over 64 KiB, URIs Jetty rejects
 * before the API, and a body just under the limit.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ItemResourceTest {

    private static final String PATH = "/items/an-item";

    private static final RedisClient ABSENT_REDIS = RedisClient.builder().hostAndPort("127.0.0.1", Ports.freeLoopbackPort())
            .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(100).build()).build();

    private static final ResourceExtension RESOURCE = ResourceExtension.builder()
            .setMapper(strictMapper())
            .setRegisterDefaultExceptionMappers(false)
            .addProvider(new ErrorHandling())
            .addResource(new ItemResource(new ItemService(new DatabaseMustNotBeReached(), cacheOn(ABSENT_REDIS),
                    Resilient.builder("database").withMaxRetries(0).build())))
            .build();

    @AfterAll
    static void closeRedis() {
        ABSENT_REDIS.close();
    }

    @ParameterizedTest(name = "malformed JSON {0} -> 400")
    @ValueSource(strings = {"{\"name\": \"a\", \"quantity\": ", "{name: a}", "{\"name\":\"a\",\"quantity\":1} trailing",
        "{\"name\":\"a\",\"name\":\"b\",\"quantity\":1}"})
    void shouldRejectMalformedJsonWith400(String body) {
        assertError(putJson(PATH, body), 400, "JSON");
    }

    @ParameterizedTest(name = "{0} -> 422 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"name\": \"\", \"quantity\": 1}                 | name",
        "{\"quantity\": 1}                                | name",
        "{\"name\": null, \"quantity\": 1}                 | name",
        "{\"name\": \"a\"}                                | quantity",
        "{\"name\": \"a\", \"quantity\": -1}               | quantity",
        "{\"name\": \"a\", \"quantity\": 1.5}              | quantity",
        "{\"name\": \"a\", \"quantity\": \"5\"}            | quantity",
        "{\"name\": \"a\", \"quantity\": true}             | quantity",
        "{\"name\": \"a\", \"quantity\": 99999999999}      | quantity",
        "{\"name\": 5, \"quantity\": 1}                    | name",
        "{\"name\": \"a\\u0000b\", \"quantity\": 1}        | name",
        "{\"name\": \"a\\ud800b\", \"quantity\": 1}        | name"})
    void shouldRejectConstraintViolationsWith422NamingTheField(String body, String field) {
        assertError(putJson(PATH, body), 422, field);
    }

    @Test
    void shouldRejectANameOver200CharactersWith422() {
        assertError(putJson(PATH, Json.item("n".repeat(201), 1)), 422, "name");
    }

    @Test
    void shouldRejectAMissingBodyWith422() {
        assertError(putJson(PATH, ""), 422, "request body");
    }

    @Test
    void shouldRejectUnknownFieldsWith400NamingThem() {
        assertError(putJson(PATH, "{\"name\":\"a\",\"quantity\":1,\"colour\":\"red\"}"), 400, "colour");
    }

    @Test
    void shouldRejectABodyThatIsNotAnObjectWith400() {
        assertError(putJson(PATH, "[\"a\", 1]"), 400, "JSON object");
    }

    @ParameterizedTest(name = "Content-Type {0} -> 415")
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void shouldRejectAWrongContentTypeWith415(String contentType) {
        assertError(request(PATH).put(Entity.entity(Json.item("changed", 1), contentType)), 415, contentType);
    }

    @Test
    void shouldRejectAMissingContentTypeWith415() {
        // The client always labels an entity; taking the label off on the way out sends the body without one.
        ClientRequestFilter withoutContentType = request -> request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        Response response = RESOURCE.target(PATH).register(withoutContentType).request()
                .put(Entity.json(Json.item("changed", 1)));

        String message = assertError(response, 415, "application/json");
        assertThat(message).as("the request must really have had no Content-Type").contains("got no Content-Type");
    }

    @Test
    void shouldRejectABodyOver64KiBWith413() {
        byte[] body = Json.item("x".repeat(65 * 1024), 1).getBytes(StandardCharsets.UTF_8);

        // The in-memory client sends no Content-Length of its own; an HTTP client sends this one.
        Response response = request(PATH).header(HttpHeaders.CONTENT_LENGTH, body.length)
                .put(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));

        assertError(response, 413, "64 KiB");
    }

    @ParameterizedTest(name = "id {0} -> 400")
    @ValueSource(strings = {"bad%20id", "bad%21", "caf%C3%A9", "a%3Bb", "%20",
        "0123456789012345678901234567890123456789012345678901234567890123X"})
    void shouldRejectInvalidIdsWith400OnEveryMethod(String badId) {
        assertError(request("/items/" + badId).get(), 400, "invalid item id");
        assertError(putJson("/items/" + badId, Json.item("a", 1)), 400, "invalid item id");
        assertError(request("/items/" + badId).delete(), 400, "invalid item id");
    }

    @ParameterizedTest(name = "GET /items?{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "limit=abc        | limit",
        "limit=0          | limit",
        "limit=501        | limit",
        "limit=-1         | limit",
        "limit=1.5        | limit",
        "limit=           | limit",
        "limit=1&limit=2  | limit",
        "after=bad%20id   | after",
        "after=           | after",
        "sort=name        | sort",
        "offset=10        | offset"})
    void shouldRejectBadListQueriesWith400(String query, String named) {
        assertError(request("/items?" + query).get(), 400, named);
    }

    @Test
    void shouldRejectQueryParametersOnItemEndpointsWith400() {
        assertError(request(PATH + "?fields=name").get(), 400, "fields");
        assertError(putJson(PATH + "?force=true", Json.item("changed", 1)), 400, "force");
        assertError(request(PATH + "?soft=1").delete(), 400, "soft");
    }

    private Invocation.Builder request(String pathAndQuery) {
        // target(String) keeps the percent-encoding and the query exactly as written, as a client sends them.
        return RESOURCE.client().target(RESOURCE.target("/").getUri().resolve(pathAndQuery.substring(1))).request();
    }

    private Response putJson(String pathAndQuery, String body) {
        return request(pathAndQuery).put(Entity.json(body));
    }

    /** Asserts a JSON error of {@code status} whose message mentions {@code mentioned}; returns the message. */
    private static String assertError(Response response, int status, String mentioned) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        assertThat(response.getHeaderString(HttpHeaders.CONTENT_TYPE)).startsWith("application/json");
        JsonNode error = Json.parse(body);
        assertThat(error.get("code").asInt()).isEqualTo(status);
        String message = error.get("message").asText();
        assertThat(message).containsIgnoringCase(mentioned);
        return message;
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = Jackson.newObjectMapper();
        StrictJson.configure(mapper);
        return mapper;
    }

    private static ItemCache cacheOn(RedisClient redis) {
        Resilient once = Resilient.builder("redis").withMaxRetries(0).build();
        return new ItemCache(new ResilientRedis(redis, once), strictMapper(), 60);
    }

    /** The storage behind the resource: any call means a request that should have been rejected got through. */
    private static final class DatabaseMustNotBeReached implements ItemDao {

        @Override
        public Optional<Item> find(String id) {
            throw reached("find(" + id + ")");
        }

        @Override
        public StoredItem upsert(String id, String name, int quantity) {
            throw reached("upsert(" + id + ")");
        }

        @Override
        public boolean delete(String id) {
            throw reached("delete(" + id + ")");
        }

        @Override
        public StoredItem upsertInvalidating(String id, String name, int quantity) {
            throw reached("upsertInvalidating(" + id + ")");
        }

        @Override
        public boolean deleteInvalidating(String id, long deletedVersion) {
            throw reached("deleteInvalidating(" + id + ")");
        }

        @Override
        public List<Item> page(String after, int limit) {
            throw reached("page(" + after + ", " + limit + ")");
        }

        @Override
        public CacheOutboxDao outbox() {
            throw reached("outbox()");
        }

        private static AssertionError reached(String call) {
            return new AssertionError("a rejected request reached the database: " + call);
        }
    }
}
