package io.keygate.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.error.Errors;
import io.keygate.json.Json;

import java.io.IOException;

/**
 * Reads request bodies into operation records and writes responses, with the same Jackson settings as
 * stored documents (nulls omitted, epoch-second timestamps). Parse failures become
 * {@code ValidationException} with reason {@code CannotParse} naming the field.
 */
public final class ApiJson {
    public static final ObjectMapper MAPPER = Json.MAPPER;

    private ApiJson() {
    }

    public static <I> I read(byte[] body, Class<I> type) {
        try {
            return MAPPER.readValue(body.length == 0 ? "{}".getBytes() : body, type);
        } catch (JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .reduce((left, right) -> right.startsWith("[") ? left + right : left + "." + right).orElse("");
            throw Errors.cannotParse(field.isEmpty()
                    ? "The request body must be a JSON object"
                    : "Field '" + field + "' has the wrong JSON type; send it as the AWS API reference shapes it");
        } catch (JsonProcessingException syntax) {
            throw Errors.cannotParse("The request body is not valid JSON (line " + syntax.getLocation().getLineNr()
                    + ", column " + syntax.getLocation().getColumnNr() + ")");
        } catch (IOException unreadable) {
            throw Errors.cannotParse("The request body could not be read");
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
