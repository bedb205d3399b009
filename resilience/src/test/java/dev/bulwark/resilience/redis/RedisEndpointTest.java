package dev.bulwark.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void shouldParseHostPortAndDatabase() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://cache.internal:6380/3");

        assertThat(endpoint.host()).isEqualTo("cache.internal");
        assertThat(endpoint.port()).isEqualTo(6380);
        assertThat(endpoint.database()).isEqualTo(3);
        assertThat(endpoint.ssl()).isFalse();
        assertThat(endpoint.password()).isEmpty();
    }

    @Test
    void shouldDefaultToPort6379AndDatabase0() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://localhost");

        assertThat(endpoint.port()).isEqualTo(6379);
        assertThat(endpoint.database()).isZero();
    }

    @ParameterizedTest(name = "{0} -> user {1}, password {2}")
    @CsvSource({
        "redis://:s3cret@h:1/0,          , s3cret",
        "redis://s3cret@h:1/0,           , s3cret",
        "redis://app:s3cret@h:1/0,    app, s3cret",
        "redis://app:p%40ss%3Aw@h:1/0, app, p@ss:w"})
    void shouldReadCredentialsButNeverPrintThem(String url, String user, String password) {
        RedisEndpoint endpoint = RedisEndpoint.parse(url);

        assertThat(endpoint.user().orElse(null)).isEqualTo(user);
        assertThat(endpoint.password()).contains(password);
        assertThat(endpoint.toString()).isEqualTo("redis://h:1/0").doesNotContain(password);
        assertThat(endpoint.address()).isEqualTo("h:1");
    }

    @Test
    void shouldUseTlsForRediss() {
        assertThat(RedisEndpoint.parse("rediss://h:6380/0").ssl()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "   ", "http://h:1/0", "h:6379", "redis://:pw@/0", "redis://:pw@h:1/x",
        "redis://:pw@h:1/0?timeout=1", "redis://:pw@h:99999/0", "redis://:pw@h:1/0/1", "redis://:pw@h :1/0"})
    void shouldRejectMalformedUrlsWithoutEchoingThePassword(String url) {
        assertThatThrownBy(() -> RedisEndpoint.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pw")
                .hasMessageContaining("redis://");
    }
}
