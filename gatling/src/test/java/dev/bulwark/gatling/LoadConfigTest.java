package dev.bulwark.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadConfigTest {

    private static LoadConfig config(Map<String, String> properties) {
        return LoadConfig.from(properties::get);
    }

    @Test
    void shouldUseTheCiProfileAndTheServiceDefaultsWhenNothingIsSet() {
        LoadConfig config = config(Map.of());

        assertThat(config.profile()).isEqualTo(LoadConfig.Profile.CI);
        assertThat(config.baseUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.toxiproxyHost()).isEqualTo("127.0.0.1");
        assertThat(config.toxiproxyPort()).isEqualTo(8474);
        assertThat(config.rate()).isEqualTo(30.0);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.adminUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(config.dbRetryDeadline()).isEqualTo(Duration.ofMillis(3000));
        assertThat(config.dbPoolSize()).isEqualTo(10);
        assertThat(config.spikeLatency()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.recoveryWithin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.capacityRamp()).isEqualTo(new Ramp(50, 30, 14, Duration.ofSeconds(5)));
    }

    @Test
    void shouldBoundRefusalsByATenthOfTheRetryDeadlineUnlessSet() {
        assertThat(config(Map.of()).refusalP99()).isEqualTo(Duration.ofMillis(300));
        assertThat(config(Map.of("dbRetryDeadlineMs", "1000")).refusalP99()).isEqualTo(Duration.ofMillis(100));
        assertThat(config(Map.of("dbRetryDeadlineMs", "1000", "refusalP99Ms", "40")).refusalP99())
                .isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void shouldKeepTheCiCapacityRampWithinNinetySeconds() {
        LoadConfig config = config(Map.of());

        assertThat(config.warmUp().plus(config.capacityRamp().total())).isLessThanOrEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void shouldRefuseMoreCapacityLevelsThanTheBound() {
        assertThatThrownBy(() -> config(Map.of("capacityLevels", "41")))
                .hasMessage("-DcapacityLevels must be a whole number from 1 to 40, got '41'");
        assertThatThrownBy(() -> config(Map.of("capacityLevelSeconds", "1")))
                .hasMessage("-DcapacityLevelSeconds must be a whole number from 2 to 600, got '1'");
        assertThatThrownBy(() -> config(Map.of("capacityFrom", "-5")))
                .hasMessage("-DcapacityFrom must be a number greater than 0, got '-5'");
    }

    @Test
    void shouldReadTheKneeFileAsAPath() {
        assertThat(config(Map.of()).kneeFile()).isEqualTo(Path.of("target/capacity.properties"));
        assertThat(config(Map.of("kneeFile", "/tmp/knee.properties")).kneeFile()).isEqualTo(Path.of("/tmp/knee.properties"));
    }

    @Test
    void shouldTakeLongerDefaultsFromTheFullProfileAndLetExplicitPropertiesWin() {
        LoadConfig config = config(Map.of("profile", "full", "rate", "12.5", "faultFor", "20"));

        assertThat(config.profile()).isEqualTo(LoadConfig.Profile.FULL);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.faultAt()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.rate()).isEqualTo(12.5);
        assertThat(config.faultFor()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldStartRecoveryOneSecondAfterTheFaultEndsUnlessSet() {
        assertThat(config(Map.of()).recoveryWithin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config(Map.of("recoveryWithinMs", "1500")).recoveryWithin()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> config(Map.of("recoveryWithinMs", "soon")))
                .hasMessage("-DrecoveryWithinMs must be a whole number greater than 0, got 'soon'");
    }

    @Test
    void shouldCountTheOnsetFromTheRetryDeadline() {
        assertThat(config(Map.of("dbRetryDeadlineMs", "1000")).dbOnset()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldNameThePropertyAndTheValueWhenARateIsNotANumber() {
        assertThatThrownBy(() -> config(Map.of("rate", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Drate must be a number greater than 0, got 'fast'");
    }

    @Test
    void shouldRejectAZeroOrFractionalDuration() {
        assertThatThrownBy(() -> config(Map.of("duration", "0")))
                .hasMessage("-Dduration must be a whole number greater than 0, got '0'");
        assertThatThrownBy(() -> config(Map.of("duration", "1.5")))
                .hasMessage("-Dduration must be a whole number greater than 0, got '1.5'");
    }

    @Test
    void shouldRejectAnUnknownProfile() {
        assertThatThrownBy(() -> config(Map.of("profile", "soak")))
                .hasMessage("-Dprofile must be ci or full, got 'soak'");
    }

    @Test
    void shouldRejectAMalformedOrNonHttpUrl() {
        assertThatThrownBy(() -> config(Map.of("baseUrl", "http://exa mple:8080")))
                .hasMessage("-DbaseUrl must be an http(s) URL like http://127.0.0.1:8080, got 'http://exa mple:8080'");
        assertThatThrownBy(() -> config(Map.of("toxiproxyUrl", "localhost:8474")))
                .hasMessageStartingWith("-DtoxiproxyUrl must be an http(s) URL like http://127.0.0.1:8474")
                .hasMessageEndingWith("got 'localhost:8474'");
        assertThatThrownBy(() -> config(Map.of("baseUrl", "http://127.0.0.1:8080/items")))
                .hasMessageStartingWith("-DbaseUrl must be an http(s) URL");
    }

    @Test
    void shouldDropATrailingSlashFromTheBaseUrl() {
        assertThat(config(Map.of("baseUrl", "http://127.0.0.1:28080/")).baseUrl()).isEqualTo("http://127.0.0.1:28080");
    }
}
