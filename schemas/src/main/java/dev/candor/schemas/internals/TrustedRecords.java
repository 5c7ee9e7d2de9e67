package dev.candor.schemas.internals;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds Candor's generated records and enums to Avro's class allow-list.
 *
 * <p>Since 1.11.4 Avro refuses to instantiate classes named by a schema unless they are trusted
 * (CVE-2024-47561), and generated records outside {@code java.lang} are not trusted by default.
 * Rather than make every process set {@code org.apache.avro.SERIALIZABLE_PACKAGES}, the serdes
 * extend the global predicate once with exactly the generated package. The global stays as strict
 * as before for every other class.
 */
final class TrustedRecords {

  static final String PACKAGE = "dev.candor.schemas.avro";

  private static boolean installed;

  private TrustedRecords() {}

  /** Installs the predicate once per JVM (class loader); later calls do nothing. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    // Generated enums (e.g. FeedbackAction) are instantiated by name too.
    ClassSecurityPredicate candor =
        c ->
            (SpecificRecord.class.isAssignableFrom(c) || c.isEnum())
                && PACKAGE.equals(c.getPackageName());
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), candor));
    installed = true;
  }
}
