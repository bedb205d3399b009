package dev.bulwark.service.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.CodePointLength;

/**
 * The body of {@code PUT /items/{id}}: exactly {@code name} and {@code quantity}; any other field is
 * rejected so a typo cannot silently drop a value.
 *
 * @param name     1..200 characters (counted as Unicode code points), no NUL and no lone surrogates
 *                 (PostgreSQL text cannot store them)
 * @param quantity an integer, zero or more
 */
public record ItemRequest(
        @NotNull(message = "is required")
        @CodePointLength(min = 1, max = 200, message = "must be 1 to 200 characters long")
        @Pattern(regexp = "[^\\x{0}\\p{Cs}]*", message = "must not contain NUL or unpaired surrogate characters")
        String name,
        @NotNull(message = "is required")
        @Min(value = 0, message = "must be an integer >= 0")
        Integer quantity) {
}
