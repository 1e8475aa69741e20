package io.keygate.server.api.error;

import io.keygate.error.FieldProblem;
import io.keygate.error.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where failures become AWS REST-JSON errors: status, {@code x-amzn-ErrorType}, and a
 * body {@code {"__type","message"}} plus {@code reason}/{@code fieldList} where they exist. Unknown
 * exceptions become {@code InternalServerException} with a fixed message; their detail goes to the
 * log only (security.md LG-5, LG-6).
 */
public final class AwsErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(AwsErrorMapper.class);
    static final String INTERNAL_MESSAGE = "Keygate failed to process the request; the server log has the details";

    private AwsErrorMapper() {
    }

    /** An AWS error ready to write. */
    public record AwsError(AwsErrorType type, Map<String, Object> body) {
        public int status() {
            return type.status();
        }
    }

    public static AwsError map(Throwable failure, String requestId) {
        if (failure instanceof AwsProtocolException signature) {
            LOG.info("request {} rejected: {}", requestId, signature.getMessage());
            return error(signature.type(), signature.getMessage(), null, List.of());
        }
        if (failure instanceof ServiceException service) {
            return map(service, requestId);
        }
        LOG.error("request {} failed unexpectedly", requestId, failure);
        return error(AwsErrorType.InternalServerException, INTERNAL_MESSAGE, null, List.of());
    }

    private static AwsError map(ServiceException failure, String requestId) {
        AwsErrorType type = switch (failure.code()) {
            case VALIDATION -> AwsErrorType.ValidationException;
            case ACCESS_DENIED -> AwsErrorType.AccessDeniedException;
            case UNAUTHORIZED -> AwsErrorType.UnauthorizedException;
            case RESOURCE_NOT_FOUND -> AwsErrorType.ResourceNotFoundException;
            case CONFLICT -> AwsErrorType.ConflictException;
            case CONCURRENT_MODIFICATION -> AwsErrorType.ConcurrentModificationException;
            case THROTTLING -> AwsErrorType.ThrottlingException;
            case SEALED -> AwsErrorType.ServiceUnavailableException;
            case DEPENDENCY_FAILED, INTERNAL -> AwsErrorType.InternalServerException;
        };
        if (type == AwsErrorType.InternalServerException) {
            LOG.error("request {} failed: {}", requestId, failure.debugDetail(), failure);
        } else if (failure.debugDetail() != null) {
            LOG.info("request {} answered {}: {}", requestId, type, failure.debugDetail());
        }
        return error(type, failure.getMessage(), failure.reason(), failure.fieldList());
    }

    private static AwsError error(AwsErrorType type, String message, String reason, List<FieldProblem> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type.name());
        body.put("message", type == AwsErrorType.InternalServerException && message.isBlank() ? INTERNAL_MESSAGE : message);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (!fields.isEmpty()) {
            body.put("fieldList", fields.stream().map(field -> Map.of("name", field.name(), "message", field.message())).toList());
        }
        return new AwsError(type, body);
    }
}
