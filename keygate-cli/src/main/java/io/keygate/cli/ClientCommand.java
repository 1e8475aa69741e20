package io.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import picocli.CommandLine.Mixin;

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
}
