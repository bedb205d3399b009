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
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The items API over real HTTP against the whole application, real PostgreSQL and Redis: every happy path
 * (create, replace, read, delete, paging), a rejected write of each status (400, 413, 415, 422) leaving the
 * stored item exactly as it was, and what only Jetty and the real server do: a chunked body over 64 KiB,
 * URIs Jetty rejects before the API, a body just under the limit.
 *
 * <p>{@link ItemResourceTest} owns the full bad-input matrix (every malformed body, constraint, Content-Type,
 * id and query case, with its status and message), in memory, over a DAO that fails if anything reaches it.
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

    @ParameterizedTest(name = "{0} -> {1}, stored item unchanged")
    @MethodSource("rejectedWrites")
    void shouldLeaveTheStoredItemUnchangedWhenAWriteIsRejected(Function<String, HttpResponse<String>> request,
                                                               int status, String mentioned) {
        assertRejectedUnchanged(request.apply(path), status, mentioned);
    }

    // One rejected write per status; ItemResourceTest has every case and proves none reaches the DAO.
    static Stream<Arguments> rejectedWrites() {
        return Stream.of(
                rejected("PUT with malformed JSON", item -> APP.putJson(item, "{name: a}"), 400, "JSON"),
                rejected("PUT with a query parameter", item -> APP.putJson(item + "?force=true", Json.item("changed", 1)),
                        400, "force"),
                rejected("DELETE with a query parameter", item -> APP.delete(item + "?soft=1"), 400, "soft"),
                rejected("PUT over 64 KiB with its Content-Length",
                        item -> APP.putJson(item, Json.item("x".repeat(65 * 1024), 1)), 413, "64 KiB"),
                rejected("PUT as text/plain", item -> APP.put(item, "text/plain", Json.item("changed", 1)), 415,
                        "text/plain"),
                rejected("PUT with an empty name", item -> APP.putJson(item, Json.item("", 1)), 422, "name"));
    }

    private static Arguments rejected(String description, Function<String, HttpResponse<String>> request, int status,
                                      String mentioned) {
        return Arguments.of(Named.of(description, request), status, mentioned);
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
