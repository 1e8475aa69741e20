package io.keygate.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSentEventsTests {

    @Test
    void dataWhenEventsEndWithBlankLinesThenEachEventsDataInOrder() {
        String stream = "id: 1\nevent: message\ndata: {\"a\":1}\n\nid: 2\ndata: {\"b\":2}\n\n";

        assertThat(ServerSentEvents.data(stream)).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void dataWhenOneEventHasSeveralDataLinesThenJoinedWithLineFeeds() {
        assertThat(ServerSentEvents.data("data:{\"a\":\r\ndata: 1}\r\n\r\n")).containsExactly("{\"a\":\n1}");
    }

    @Test
    void dataWhenPrimerCommentsAndUnendedEventThenOnlyCompleteEventsWithData() {
        String stream = ": keep-alive\n\nid: 0\ndata:\n\ndata: {\"c\":3}\r\rdata: {\"cut\":";

        assertThat(ServerSentEvents.data(stream)).containsExactly("{\"c\":3}");
    }
}
