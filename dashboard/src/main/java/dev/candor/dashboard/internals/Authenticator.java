package dev.candor.dashboard.internals;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks user names and passwords against the configured bcrypt hashes (or the single-user token,
 * as user {@code admin}). Unknown users cost the same bcrypt work as known ones; a user name with
 * five failures in a row is refused for 30 seconds.
 */
public final class Authenticator {
  /** The user name the single-user token logs in as. */
  public static final String TOKEN_USER = "admin";

  private static final int MAX_FAILURES = 5;
  private static final long LOCK_MS = 30_000;
  // Verified against when the user is unknown, so timing does not reveal which names exist.
  private static final byte[] DUMMY_HASH =
      BCrypt.withDefaults().hash(10, "candor-dummy-password".toCharArray());

  private final Map<String, Account> users = new HashMap<>();
  private final byte[] token;
  private final Map<String, long[]> failures = new ConcurrentHashMap<>();

  /** A user who may log in: name, whether an admin, bcrypt hash of the password. */
  public record Account(String name, boolean admin, String bcryptHash) {}

  /** Result of a login attempt. */
  public record Outcome(Account user, String error) {}

  /**
   * @param accounts the users
   * @param token the single-user token, empty for none
   */
  public Authenticator(java.util.List<Account> accounts, String token) {
    for (Account u : accounts) {
      users.put(u.name(), u);
    }
    this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks one login.
   *
   * @param name user name as typed
   * @param password password as typed
   * @return the user, or an error message for the form
   */
  public Outcome login(String name, String password) {
    if (name == null || password == null || name.length() > 64 || password.length() > 200) {
      return new Outcome(null, "Wrong user name or password.");
    }
    long now = System.currentTimeMillis();
    long[] f = failures.get(name);
    if (f != null && f[0] >= MAX_FAILURES && now - f[1] < LOCK_MS) {
      return new Outcome(null, "Too many failed logins; wait 30 seconds.");
    }
    Account ok = check(name, password);
    if (ok == null) {
      failures.compute(
          name,
          (k, v) -> {
            long[] n = v == null || now - v[1] >= LOCK_MS ? new long[] {0, now} : v;
            n[0]++;
            n[1] = now;
            return n;
          });
      return new Outcome(null, "Wrong user name or password.");
    }
    failures.remove(name);
    return new Outcome(ok, null);
  }

  private Account check(String name, String password) {
    Account u = users.get(name);
    if (u != null) {
      boolean v =
          BCrypt.verifyer()
              .verify(
                  password.getBytes(StandardCharsets.UTF_8),
                  u.bcryptHash().getBytes(StandardCharsets.UTF_8))
              .verified;
      return v ? u : null;
    }
    if (token != null && TOKEN_USER.equals(name)) {
      boolean v = MessageDigest.isEqual(token, password.getBytes(StandardCharsets.UTF_8));
      return v ? new Account(TOKEN_USER, true, "") : null;
    }
    BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), DUMMY_HASH);
    return null;
  }

  /**
   * Hashes a password for the users setting.
   *
   * @param password the password
   * @return a bcrypt hash (cost 12)
   */
  public static String hash(char[] password) {
    return BCrypt.withDefaults().hashToString(12, password);
  }
}
