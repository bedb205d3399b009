package dev.bulwark.toxiproxy.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Splitting and decoding control API paths. */
class HttpRequestsTest {

    @Test
    void shouldSplitAndDecodePathSegments() {
        assertThat(HttpRequests.segments("/")).isEmpty();
        assertThat(HttpRequests.segments("/proxies/redis:6379/toxics")).containsExactly("proxies", "redis:6379", "toxics");
        assertThat(HttpRequests.segments("/proxies/a%2Fb+c")).containsExactly("proxies", "a/b+c");
        assertThat(HttpRequests.segments("/proxies/")).containsExactly("proxies", "");
    }
}
