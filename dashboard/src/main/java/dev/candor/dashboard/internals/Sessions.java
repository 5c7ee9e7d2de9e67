package dev.candor.dashboard.internals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory sessions keyed by a random 256-bit id (the cookie value). A session starts anonymous
 * (only a CSRF token, for the login form) and gets a fresh id when its user logs in. Idle sessions
 * expire; the map is bounded so unauthenticated clients cannot grow it without limit.
 */
public final class Sessions {
  /** Name of the session cookie. */
  public static final String COOKIE = "candor_session";

  private static final int MAX_SESSIONS = 10_000;
  private static final long ANONYMOUS_TTL_MS = 30 * 60_000L;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final long ttlMs;

  /** One session. */
  public static final class Session {
    private final String id;
    private final String user;
    private final boolean admin;
    private final String csrf;
    private volatile long lastSeenMs;
    private final List<String[]> actions = new ArrayList<>();

    Session(String id, String user, boolean admin, String csrf, long now) {
      this.id = id;
      this.user = user;
      this.admin = admin;
      this.csrf = csrf;
      this.lastSeenMs = now;
    }

    /**
     * @return the cookie value
     */
    public String id() {
      return id;
    }

    /**
     * @return the user, or null before login
     */
    public String user() {
      return user;
    }

    /**
     * @return whether the user is an admin
     */
    public boolean admin() {
      return admin;
    }

    /**
     * @return the CSRF token every write must carry
     */
    public String csrf() {
      return csrf;
    }

    /**
     * @return whether a user is logged in
     */
    public boolean authenticated() {
      return user != null;
    }

    /** Remembers an action of this session, so that it can be undone in this session. */
    public synchronized void remember(String itemId, String feedbackId) {
      actions.add(new String[] {itemId, feedbackId});
    }

    /**
     * @return whether this session wrote {@code feedbackId} for {@code itemId}
     */
    public synchronized boolean wrote(String itemId, String feedbackId) {
      for (String[] a : actions) {
        if (a[0].equals(itemId) && a[1].equals(feedbackId)) {
          return true;
        }
      }
      return false;
    }

    /**
     * @return feedback ids this session wrote for the item, oldest first
     */
    public synchronized List<String> actionsOn(String itemId) {
      List<String> out = new ArrayList<>();
      for (String[] a : actions) {
        if (a[0].equals(itemId)) {
          out.add(a[1]);
        }
      }
      return out;
    }
  }

  /**
   * @param ttlMs idle lifetime of a logged-in session
   */
  public Sessions(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  /**
   * The live session with this id, touched; null if unknown or expired.
   *
   * @param id cookie value, may be null
   */
  public Session find(String id) {
    if (id == null) {
      return null;
    }
    Session s = sessions.get(id);
    long now = System.currentTimeMillis();
    if (s == null) {
      return null;
    }
    if (now - s.lastSeenMs > (s.authenticated() ? ttlMs : ANONYMOUS_TTL_MS)) {
      sessions.remove(id);
      return null;
    }
    s.lastSeenMs = now;
    return s;
  }

  /**
   * @return a new anonymous session (for the login form)
   */
  public Session anonymous() {
    return add(null, false);
  }

  /**
   * Logs a user in: a new session with a new id and CSRF token; the old one is dropped.
   *
   * @param old the anonymous session, may be null
   */
  public Session login(Session old, String user, boolean admin) {
    if (old != null) {
      sessions.remove(old.id());
    }
    return add(user, admin);
  }

  /** Ends a session. */
  public void logout(Session s) {
    sessions.remove(s.id());
  }

  private Session add(String user, boolean admin) {
    long now = System.currentTimeMillis();
    if (sessions.size() >= MAX_SESSIONS) {
      evict(now);
    }
    if (sessions.size() >= MAX_SESSIONS) {
      throw new IllegalStateException("too many sessions");
    }
    Session s = new Session(token(), user, admin, token(), now);
    sessions.put(s.id(), s);
    return s;
  }

  private void evict(long now) {
    Iterator<Session> it = sessions.values().iterator();
    while (it.hasNext()) {
      Session s = it.next();
      long age = now - s.lastSeenMs;
      if (!s.authenticated() || age > ttlMs) {
        it.remove();
      }
    }
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
