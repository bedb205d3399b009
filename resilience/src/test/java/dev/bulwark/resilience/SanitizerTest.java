package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SanitizerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "redis://:secret@host                                   | redis://host",
            "postgresql://u:p@h                                     | postgresql://h",
            "jdbc:postgresql://app:s3cret@db:5432/bulwark           | jdbc:postgresql://db:5432/bulwark",
            "rediss://default:p@ss/w@rd@cache:6380/0                | rediss://cache:6380/0",
            "cannot reach redis://:secret@cache:6379 (timeout)      | cannot reach redis://cache:6379 (timeout)",
    })
    void shouldRemoveUserInfoFromUrls(String text, String expected) {
        assertThat(Sanitizer.text(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db/bulwark?user=app&password=s3cret&ssl=true | jdbc:postgresql://db/bulwark?user=app&password=***&ssl=true",
            "?sslpassword=s3cret                                              | ?sslpassword=***",
            "DB_PASSWORD=s3cret, DB_USER=app                                  | DB_PASSWORD=***, DB_USER=app",
            "{user=app, password = s3cret}                                    | {user=app, password = ***}",
            "pwd=\"s3 cret\" next                                             | pwd=*** next",
    })
    void shouldMaskPasswordSettings(String text, String expected) {
        assertThat(Sanitizer.text(text)).isEqualTo(expected);
    }

    @Test
    void shouldLeaveMessagesWithoutCredentialsAlone() {
        String authFailure = "FATAL: password authentication failed for user \"app\"";

        assertThat(Sanitizer.text(authFailure)).isEqualTo(authFailure);
        assertThat(Sanitizer.text("Connection refused")).isEqualTo("Connection refused");
        assertThat(Sanitizer.text(null)).isNull();
    }

    @Test
    void shouldGiveTheDeepestMessageOfTheCauseChain() {
        // Given the driver's advice wrapped around the socket's verdict
        SQLException failure = new SQLException("Connection to 127.0.0.1:5432 refused. Check that the hostname and "
                + "port are correct.", "08001", new ConnectException("Connection refused"));

        // When / Then
        assertThat(Sanitizer.message(failure)).isEqualTo("Connection refused");
    }

    @Test
    void shouldSkipWrapperMessagesThatOnlyRepeatTheirCause() {
        Exception failure = new IllegalStateException("pool start failed", new RuntimeException(new EOFException()));

        assertThat(Sanitizer.message(failure)).isEqualTo("pool start failed");
    }

    @Test
    void shouldNameTheExceptionWhenNoMessageExplainsIt() {
        assertThat(Sanitizer.message(new RuntimeException(new EOFException()))).isEqualTo("EOFException");
        assertThat(Sanitizer.message(new IOException("wrapper", new UnknownHostException("db.internal"))))
                .isEqualTo("UnknownHostException: db.internal");
    }

    @Test
    void shouldRemoveCredentialsAndLineBreaksFromTheChosenMessage() {
        Exception failure = new IOException("outer", new IllegalStateException(
                "cannot connect to redis://:hunter2@cache:6379\n  Detail: password=hunter2 rejected"));

        String message = Sanitizer.message(failure);

        assertThat(message).isEqualTo("cannot connect to redis://cache:6379 Detail: password=*** rejected");
        assertThat(message).doesNotContain("hunter2");
    }

    @Test
    void shouldStopAtACycleInTheCauseChain() {
        Exception first = new Exception("first failure");
        Exception second = new Exception("second failure");
        first.initCause(second);
        second.initCause(first);

        assertThat(Sanitizer.message(first)).isEqualTo("second failure");
    }
}
