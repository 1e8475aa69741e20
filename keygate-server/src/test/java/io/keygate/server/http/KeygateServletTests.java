package io.keygate.server.http;

import io.keygate.server.TestKeygate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every answer of a real node carries: a {@code Date} header from Keygate's clock (the AWS SDKs correct
 * their clock skew from it after "Signature expired") and an {@code x-amzn-RequestId} that is a fresh
 * version 4 UUID.
 */
class KeygateServletTests {

    @Test
    void serviceWhenKeygateClockIsAheadThenDateHeaderFollowsItAndRequestIdsAreFreshUuids(@TempDir Path dataDir)
            throws Exception {
        try (TestKeygate keygate = TestKeygate.start(dataDir)) {
            HttpClient client = HttpClient.newHttpClient();
            keygate.clock().advance(Duration.ofHours(3));
            HttpRequest request = HttpRequest.newBuilder(URI.create(keygate.server().localUrl() + "/no-such-route")).build();

            HttpResponse<Void> first = client.send(request, HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> second = client.send(request, HttpResponse.BodyHandlers.discarding());

            Instant date = ZonedDateTime.parse(first.headers().firstValue("Date").orElseThrow(),
                    DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(Duration.between(Instant.now().plus(Duration.ofHours(3)), date).abs()).isLessThan(Duration.ofMinutes(1));
            UUID id = UUID.fromString(first.headers().firstValue("x-amzn-RequestId").orElseThrow());
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(second.headers().firstValue("x-amzn-RequestId")).isPresent().get().isNotEqualTo(id.toString());
        }
    }
}
