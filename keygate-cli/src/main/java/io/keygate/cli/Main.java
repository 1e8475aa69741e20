package io.keygate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keygate} command. {@code serve} runs a node; every other command is a thin client of the
 * node's HTTP API, signed with SigV4 like any AWS SDK call.
 */
@Command(name = "keygate", mixinStandardHelpOptions = true, version = "Keygate 0.1.0",
        description = "Self-hostable agent identity service and MCP gateway, wire-compatible with Amazon Bedrock AgentCore.",
        subcommands = {ServeCommand.class, DemoCommand.class, KeysCommand.class, AccessKeysCommand.class,
                ProvidersCommand.class, WorkloadsCommand.class, TokensCommand.class, SessionsCommand.class,
                GatewaysCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
                    commandLine.getErr().println("keygate: " + failure.getMessage());
                    return 1;
                })
                .execute(args);
    }
}
