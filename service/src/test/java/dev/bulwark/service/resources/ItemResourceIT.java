package dev.bulwark.service.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TestApp;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every endpoint and every bad-input case, over real HTTP. Each bad request must get the right status
 * and a JSON error that says what was wrong, and must leave the stored item exactly as it was.
 */
class ItemResourceIT {

    @RegisterExtension
    static final TestApp APP = TestApp.create();

    private String id;
    private String path;
    private JsonNode seeded;

    @BeforeEach
    void seedAnItem() {
        id = "res-" + UUID.randomUUID();
        path = "/items/" + id;
        HttpResponse<String> created = APP.putJson(path, Json.item("original", 5));
        assertThat(created.statusCode()).isEqualTo(201);
        seeded = Json.parse(created.body());
    }

    @Test
    void shouldCreateWith201AndReturnTheStoredItem() {
        String newPath = "/items/new-" + UUID.randomUUID();

        HttpResponse<String> response = APP.putJson(newPath, Json.item("widget", 0));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode item = Json.parse(response.body());
        assertThat(item.get("id").asText()).isEqualTo(newPath.substring("/items/".length()));
        assertThat(item.get("name").asText()).isEqualTo("widget");
        assertThat(item.get("quantity").asInt()).isZero();
        assertThat(item.get("version").asLong()).isEqualTo(1);
        assertThat(item.get("updatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void shouldReplaceWith200AndBumpTheVersion() {
        HttpResponse<String> response = APP.putJson(path, Json.item("renamed", 9));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode item = Json.parse(response.body());
        assertThat(item.get("name").asText()).isEqualTo("renamed");
        assertThat(item.get("quantity").asInt()).isEqualTo(9);
        assertThat(item.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void shouldKeepOneItemWhenTheSamePutIsRepeated() {
        APP.putJson(path, Json.item("original", 5));
        APP.putJson(path, Json.item("original", 5));

        JsonNode page = Json.parse(APP.get("/items?limit=500&after=" + id.substring(0, id.length() - 1)).body());

        assertThat(ids(page)).filteredOn(id::equals).hasSize(1);
        assertThat(Json.parse(APP.get(path).body()).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void shouldAcceptNamesOfExactly200CharactersCountingCodePoints() {
        String emoji = "\uD83D\uDE00".repeat(200);

        HttpResponse<String> response = APP.putJson(path, Json.item(emoji, 1));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(APP.get(path).body()).get("name").asText()).isEqualTo(emoji);
    }

    @Test
    void shouldAnswer404ForAnUnknownItem() {
        HttpResponse<String> response = APP.get("/items/missing-" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.parse(response.body()).get("message").asText()).contains("not found");
    }

    @Test
    void shouldDeleteWith204AndThenAnswer404() {
        assertThat(APP.delete(path).statusCode()).isEqualTo(204);

        assertThat(APP.get(path).statusCode()).isEqualTo(404);
        HttpResponse<String> again = APP.delete(path);
        assertThat(again.statusCode()).isEqualTo(404);
        assertError(again, 404, "not found");
    }

    @Test
    void shouldPageThroughItemsInIdOrderWithAKeysetCursor() {
        String prefix = "page-" + UUID.randomUUID() + "-";
        List<String> expected = IntStream.range(0, 7).mapToObj(i -> prefix + i).toList();
        // Created out of order, so the order returned comes from the ids, not from insertion.
        IntStream.range(0, 7).map(i -> 6 - i).forEach(i -> APP.putJson("/items/" + expected.get(i), Json.item("p", 1)));

        List<String> seen = new ArrayList<>();
        String after = prefix;
        while (seen.size() < expected.size()) {
            JsonNode body = Json.parse(APP.get("/items?limit=3&after=" + after).body());
            assertThat(body.get("items").size()).isEqualTo(3);
            seen.addAll(ids(body));
            after = body.get("next").asText();
            assertThat(after).isEqualTo(seen.get(seen.size() - 1));
        }

        assertThat(seen.subList(0, expected.size())).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldSayThereIsNoNextPageOnTheLastPage() {
        JsonNode body = Json.parse(APP.get("/items?limit=500&after=" + "z".repeat(64)).body());

        assertThat(body.get("items").size()).isZero();
        assertThat(body.has("next")).isTrue();
        assertThat(body.get("next").isNull()).isTrue();
    }

    @Test
    void shouldDefaultToPagesOf50() {
        String prefix = "dflt-" + UUID.randomUUID() + "-";
        IntStream.range(0, 51).forEach(i -> APP.putJson("/items/" + prefix + String.format("%02d", i), Json.item("d", 1)));

        JsonNode body = Json.parse(APP.get("/items?after=" + prefix).body());

        assertThat(body.get("items").size()).isEqualTo(50);
        assertThat(body.get("next").asText()).isEqualTo(prefix + "49");
    }

    @ParameterizedTest(name = "malformed JSON {0} -> 400")
    @ValueSource(strings = {"{\"name\": \"a\", \"quantity\": ", "{name: a}", "{\"name\":\"a\",\"quantity\":1} trailing",
        "{\"name\":\"a\",\"name\":\"b\",\"quantity\":1}"})
    void shouldRejectMalformedJsonWith400(String body) {
        assertRejectedUnchanged(APP.putJson(path, body), 400, "JSON");
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
        assertRejectedUnchanged(APP.putJson(path, body), 422, field);
    }

    @Test
    void shouldRejectANameOver200CharactersWith422() {
        assertRejectedUnchanged(APP.putJson(path, Json.item("n".repeat(201), 1)), 422, "name");
    }

    @Test
    void shouldRejectAMissingBodyWith422() {
        assertRejectedUnchanged(APP.putJson(path, ""), 422, "request body");
    }

    @Test
    void shouldRejectUnknownFieldsWith400NamingThem() {
        assertRejectedUnchanged(APP.putJson(path, "{\"name\":\"a\",\"quantity\":1,\"colour\":\"red\"}"), 400, "colour");
    }

    @Test
    void shouldRejectABodyThatIsNotAnObjectWith400() {
        assertRejectedUnchanged(APP.putJson(path, "[\"a\", 1]"), 400, "JSON object");
    }

    @ParameterizedTest(name = "Content-Type {0} -> 415")
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void shouldRejectAWrongContentTypeWith415(String contentType) {
        assertRejectedUnchanged(APP.put(path, contentType, Json.item("changed", 1)), 415, contentType);
    }

    @Test
    void shouldRejectAMissingContentTypeWith415() {
        HttpRequest.Builder request = HttpRequest.newBuilder(APP.uri(path))
                .PUT(HttpRequest.BodyPublishers.ofString(Json.item("changed", 1)));
        assertRejectedUnchanged(APP.send(request), 415, "application/json");
    }

    @Test
    void shouldRejectABodyOver64KiBWith413() {
        String body = Json.item("x".repeat(65 * 1024), 1);

        assertRejectedUnchanged(APP.putJson(path, body), 413, "64 KiB");
    }

    @Test
    void shouldRejectAChunkedBodyOver64KiBWith413() {
        byte[] body = Json.item("x".repeat(65 * 1024), 1).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder chunked = HttpRequest.newBuilder(APP.uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertRejectedUnchanged(APP.send(chunked), 413, "64 KiB");
    }

    @Test
    void shouldAcceptABodyJustUnder64KiB() {
        String name = "y".repeat(200);
        String padded = "{\"name\":\"" + name + "\",\"quantity\":2}" + " ".repeat(64 * 1024 - 230);

        assertThat(APP.putJson(path, padded).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "id {0} -> 400")
    @ValueSource(strings = {"bad%20id", "bad%21", "caf%C3%A9", "a%3Bb", "%20",
        "0123456789012345678901234567890123456789012345678901234567890123X"})
    void shouldRejectInvalidIdsWith400OnEveryMethod(String badId) {
        assertError(APP.get("/items/" + badId), 400, "invalid item id");
        assertError(APP.putJson("/items/" + badId, Json.item("a", 1)), 400, "invalid item id");
        assertError(APP.delete("/items/" + badId), 400, "invalid item id");
    }

    @ParameterizedTest(name = "URI /items/{0} -> 400 JSON")
    @ValueSource(strings = {"x%00y", "a%2Fb", "%2e%2e%2fadmin"})
    void shouldAnswerUrisJettyRejectsWithAJsonError(String badId) {
        assertError(APP.http().getOnOwnConnection("/items/" + badId), 400, "request rejected");
    }

    @Test
    void shouldAcceptAnIdOf64AllowedCharacters() {
        String longest = "Az09._-" + "x".repeat(57);

        assertThat(APP.putJson("/items/" + longest, Json.item("a", 1)).statusCode()).isIn(200, 201);
        assertThat(APP.get("/items/" + longest).statusCode()).isEqualTo(200);
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
        assertError(APP.get("/items?" + query), 400, named);
    }

    @Test
    void shouldRejectQueryParametersOnItemEndpointsWith400() {
        assertError(APP.get(path + "?fields=name"), 400, "fields");
        assertRejectedUnchanged(APP.putJson(path + "?force=true", Json.item("changed", 1)), 400, "force");
        assertError(APP.delete(path + "?soft=1"), 400, "soft");
        assertThat(APP.get(path).statusCode()).isEqualTo(200);
    }

    private void assertRejectedUnchanged(HttpResponse<String> response, int status, String mentioned) {
        assertError(response, status, mentioned);
        HttpResponse<String> now = APP.get(path);
        assertThat(now.statusCode()).isEqualTo(200);
        JsonNode stored = Json.parse(now.body());
        assertThat(stored).as("the stored item must not change").isEqualTo(seeded);
    }

    private static void assertError(HttpResponse<String> response, int status, String mentioned) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = Json.parse(response.body());
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).containsIgnoringCase(mentioned);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
