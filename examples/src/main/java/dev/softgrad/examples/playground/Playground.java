package dev.softgrad.examples.playground;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./softgrad playground [--port N]}: starts the {@link PlaygroundServer} on 127.0.0.1 (a free
 * port unless {@code --port} says), prints its URL, and serves until Ctrl-C. Run from the project
 * root, notebooks write to {@code softgrad-out} and Iris and digits are read from
 * {@code ../shared/datasets} when it exists.
 */
@Command(name = "playground", mixinStandardHelpOptions = true,
        description = "A local web playground: softmax you can touch, training you can watch.")
public final class Playground implements Callable<Integer> {

    @Option(names = "--port", description = "port on 127.0.0.1 (default: a free one)", defaultValue = "0")
    int port;

    @Option(names = "--out", description = "where notebooks write (default: ${DEFAULT-VALUE})", defaultValue = "softgrad-out")
    Path out;

    @Option(names = "--data", description = "folder with iris.csv, digits.csv.gz (default: ${DEFAULT-VALUE})",
            defaultValue = "../shared/datasets")
    Path data;

    @Override
    public Integer call() throws Exception {
        PlaygroundServer server = PlaygroundServer.start(port, out, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "playground-stop"));
        System.out.println("softgrad playground: " + server.url() + "  (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }

    /** The entry point. */
    public static void main(String[] args) {
        int code = new CommandLine(new Playground()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
