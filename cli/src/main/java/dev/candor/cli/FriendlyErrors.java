package dev.candor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns expected failures (bad input, missing files, corrupted bundles) into one clear line and
 * exit code 2; only unexpected errors print a stack trace (with {@code CANDOR_DEBUG=1} for all).
 */
final class FriendlyErrors implements IExecutionExceptionHandler {
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    boolean expected =
        t instanceof IllegalArgumentException
            || t instanceof IllegalStateException
            || t instanceof IOException
            || t instanceof org.apache.kafka.common.config.ConfigException;
    String message =
        t instanceof NoSuchFileException nf
            ? "file not found: " + nf.getFile()
            : t.getMessage() == null ? t.toString() : t.getMessage();
    commandLine.getErr().println("candor: error: " + message);
    if (!expected || System.getenv("CANDOR_DEBUG") != null) {
      t.printStackTrace(commandLine.getErr());
      return expected ? USER_ERROR : 1;
    }
    return USER_ERROR;
  }
}
