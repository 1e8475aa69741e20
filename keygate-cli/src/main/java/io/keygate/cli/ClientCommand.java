package io.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** A command that makes one or more API calls and prints the JSON answers. */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public final Integer call() throws Exception {
        run(ApiClient.from(options));
        return 0;
    }

    abstract void run(ApiClient client) throws Exception;

    static void print(JsonNode node) throws Exception {
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** A JSON object of name-value pairs, leaving out null values (absent fields, as the AWS SDKs send them). */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }
}
