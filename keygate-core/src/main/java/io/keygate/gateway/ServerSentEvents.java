package io.keygate.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a complete {@code text/event-stream} body into the data of its events, as the HTML standard's
 * event-stream interpretation does: lines end with CRLF, LF or CR; {@code data} lines of one event are
 * joined with LF; a blank line ends an event (one the stream ends before is dropped); comments and the
 * other fields ({@code event}, {@code id}, {@code retry}) carry no JSON-RPC message here. Events without
 * data (the 2025-11-25 stream primer) are left out.
 *
 * @see <a href="https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation">Event stream interpretation</a>
 */
final class ServerSentEvents {
    private ServerSentEvents() {
    }

    static List<String> data(String stream) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        for (String line : stream.split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null && !data.isEmpty()) {
                    events.add(data.toString());
                }
                data = null;
            } else if (line.equals("data") || line.startsWith("data:")) {
                String value = line.length() <= 5 ? "" : line.substring(line.charAt(5) == ' ' ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return events; // an event not ended by a blank line is dropped, as the standard says
    }
}
