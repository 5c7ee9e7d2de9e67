package dev.candor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelThreadTest {
  private static ModelThread thread;

  @BeforeAll
  static void start() {
    thread = new ModelThread("candor-test-model");
  }

  @AfterAll
  static void stop() {
    thread.close();
  }

  @Test
  void shouldRunTasksOnItsOwnNamedThread() {
    assertEquals("candor-test-model", thread.call(() -> Thread.currentThread().getName()));
  }

  @Test
  void shouldRethrowAnErrorAsTheSameError() {
    OutOfMemoryError thrown = new OutOfMemoryError("native allocation failed");
    OutOfMemoryError caught =
        assertThrows(
            OutOfMemoryError.class,
            () ->
                thread.call(
                    () -> {
                      throw thrown;
                    }));
    assertSame(thrown, caught);
  }

  @Test
  void shouldRethrowARuntimeExceptionUnwrapped() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad input");
    IllegalArgumentException caught =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                thread.call(
                    () -> {
                      throw thrown;
                    }));
    assertSame(thrown, caught);
  }

  @Test
  void shouldWrapCheckedExceptionsKeepingTheCause() {
    IOException io = new IOException("disk gone");
    UncheckedIOException u =
        assertThrows(
            UncheckedIOException.class,
            () ->
                thread.call(
                    () -> {
                      throw io;
                    }));
    assertSame(io, u.getCause());
    TimeoutException other = new TimeoutException("slow");
    CompletionException c =
        assertThrows(
            CompletionException.class,
            () ->
                thread.call(
                    () -> {
                      throw other;
                    }));
    assertSame(other, c.getCause());
  }

  @Test
  void shouldKeepWorkingAfterAFailedTask() {
    assertThrows(
        StackOverflowError.class,
        () ->
            thread.call(
                () -> {
                  throw new StackOverflowError();
                }));
    assertTrue(thread.call(() -> true));
  }
}
