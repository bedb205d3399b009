package dev.bulwark.toxiproxy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Parsing listen/upstream addresses and formatting bound ones. */
class ListenAddressTest {

    @Test
    void shouldParseNamesIpv4BracketedIpv6AndTheWildcard() {
        assertThat(ListenAddress.parse("localhost:0")).isEqualTo(new ListenAddress("localhost", 0));
        assertThat(ListenAddress.parse("127.0.0.1:8666")).isEqualTo(new ListenAddress("127.0.0.1", 8666));
        assertThat(ListenAddress.parse("[::1]:80")).isEqualTo(new ListenAddress("::1", 80));
        assertThat(ListenAddress.parse(":5432")).isEqualTo(new ListenAddress("", 5432));
    }

    @Test
    void shouldRejectAddressesGoRejects() {
        assertThatThrownBy(() -> ListenAddress.parse("redis")).hasMessageContaining("missing port");
        assertThatThrownBy(() -> ListenAddress.parse("::1:80")).hasMessageContaining("too many colons");
        assertThatThrownBy(() -> ListenAddress.parse("host:http")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> ListenAddress.parse("host:70000")).hasMessageContaining("invalid port");
    }

    @Test
    void shouldFormatBoundAddressesAsIpAndPort() {
        assertThat(ListenAddress.format(new InetSocketAddress("localhost", 80))).isIn("127.0.0.1:80", "[0:0:0:0:0:0:0:1]:80");
        assertThat(ListenAddress.format(new InetSocketAddress("127.0.0.1", 1234))).isEqualTo("127.0.0.1:1234");
    }
}
