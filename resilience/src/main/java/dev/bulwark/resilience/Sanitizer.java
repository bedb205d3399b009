package dev.bulwark.resilience;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes failure messages safe to log or show: credentials are removed, and a cause chain is reduced to
 * its one most specific message. Used wherever a dependency's error reaches a log line, an exception
 * message or a health check.
 *
 * <p>{@link #text} removes {@code user:password@} from anything URL-shaped ({@code redis://:secret@host}
 * becomes {@code redis://host}) and masks the value of any {@code ...password=}, {@code passwd=} or
 * {@code pwd=} setting as {@code ***}. Stateless and thread-safe.
 */
public final class Sanitizer {

    // Greedy to the last '@' of the token, so a password that itself contains '@' (or an unencoded '/')
    // goes entirely; losing part of an odd URL is better than showing part of a password.
    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)\\S*@");
    private static final Pattern PASSWORD_SETTING = Pattern.compile(
            "(?i)([\\w.-]*(?:password|passwd|pwd)\\s*=\\s*)(?:\"[^\"]*\"|'[^']*'|[^&\\s;,'\"})\\]]+)");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

    private Sanitizer() {
    }

    /**
     * The most specific message in {@code failure}'s cause chain, credentials removed, on one line: the
     * deepest non-blank message, skipping the {@code "java.io.IOException: ..."} text the JDK gives a
     * wrapper built from its cause alone. A message of a single word (an {@code UnknownHostException}'s
     * bare host name, say) is prefixed with its exception's simple name, and a chain with no message at
     * all gives the root exception's simple name, so the result is never empty.
     */
    public static String message(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        Throwable specific = null;
        Throwable root = failure;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            root = t;
            if (hasOwnMessage(t)) {
                specific = t;
            }
        }
        if (specific == null) {
            return root.getClass().getSimpleName();
        }
        String message = LINE_BREAKS.matcher(text(specific.getMessage())).replaceAll(" ").strip();
        return message.chars().anyMatch(Character::isWhitespace)
                ? message
                : specific.getClass().getSimpleName() + ": " + message;
    }

    /** {@code text} with URL credentials removed and password settings masked; null stays null. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String withoutUserInfo = URL_USER_INFO.matcher(text).replaceAll("$1");
        return PASSWORD_SETTING.matcher(withoutUserInfo).replaceAll("$1***");
    }

    private static boolean hasOwnMessage(Throwable t) {
        String message = t.getMessage();
        return message != null && !message.isBlank()
                && (t.getCause() == null || !message.equals(t.getCause().toString()));
    }
}
