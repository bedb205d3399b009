package dev.bulwark.gatling;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Parses {@link LoadConfig}'s properties one at a time: a blank value is unset and gets the default; a bad
 * one fails at once with an {@link IllegalArgumentException} naming the property and the value, e.g.
 * {@code -Drate must be a number greater than 0, got 'abc'}. Stateless apart from its source; thread-safe
 * when the source is.
 */
final class PropertyReader {

    private final Function<String, String> properties;

    PropertyReader(Function<String, String> properties) {
        this.properties = properties;
    }

    LoadConfig.Profile profile(String name) {
        String value = raw(name);
        if (value == null) {
            return LoadConfig.Profile.CI;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "ci" -> LoadConfig.Profile.CI;
            case "full" -> LoadConfig.Profile.FULL;
            default -> throw bad(name, value, "must be ci or full");
        };
    }

    URI url(String name, String defaultValue) {
        String value = raw(name);
        if (value == null) {
            value = defaultValue;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw bad(name, value, "must be an http(s) URL like " + defaultValue);
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!http || uri.getHost() == null || !bare || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw bad(name, value, "must be an http(s) URL like " + defaultValue + " (scheme, host and port only)");
        }
        return uri;
    }

    double positiveNumber(String name, double defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            double number = Double.parseDouble(value);
            if (number > 0 && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw bad(name, value, "must be a number greater than 0");
    }

    long positiveInteger(String name, long defaultValue) {
        return integerBetween(name, defaultValue, 1, Integer.MAX_VALUE);
    }

    long integerBetween(String name, long defaultValue, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw bad(name, value, max == Integer.MAX_VALUE
                ? "must be a whole number greater than " + (min - 1)
                : "must be a whole number from " + min + " to " + max);
    }

    String text(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : value;
    }

    private String raw(String name) {
        String value = properties.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static IllegalArgumentException bad(String name, String value, String rule) {
        return new IllegalArgumentException("-D" + name + " " + rule + ", got '" + value + "'");
    }
}
