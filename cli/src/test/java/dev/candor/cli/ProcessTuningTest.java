package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The launcher's process settings (bin/candor-env.sh, sourced by bin/candor, .ci/run and the
 * images), the machine description benchmarks print, and the start-up notice about the CPU.
 */
class ProcessTuningTest {
  private static final Path ROOT = root();

  @Test
  void shouldTuneMallocUnlessSwitchedOffAndKeepValuesTheCallerSet() throws Exception {
    Map<String, String> on = sourced(Map.of());
    for (Map.Entry<String, String> e : MachineInfo.TUNED_MALLOC.entrySet()) {
      assertEquals(e.getValue(), on.get(e.getKey()), e.getKey());
    }
    assertEquals("PASSIVE", on.get("OMP_WAIT_POLICY"));
    Map<String, String> off = sourced(Map.of("CANDOR_MALLOC_TUNING", "off"));
    for (String k : MachineInfo.TUNED_MALLOC.keySet()) {
      assertNull(off.get(k), k + " must stay unset when switched off");
    }
    Map<String, String> own =
        sourced(Map.of("MALLOC_TOP_PAD_", "12345", "OMP_WAIT_POLICY", "ACTIVE"));
    assertEquals("12345", own.get("MALLOC_TOP_PAD_"));
    assertEquals("ACTIVE", own.get("OMP_WAIT_POLICY"));
    assertEquals("4294967296", own.get("MALLOC_MMAP_THRESHOLD_"));
  }

  @Test
  void shouldSourceTheSettingsInTheLauncherCiAndImages() throws IOException {
    assertTrue(Files.readString(ROOT.resolve("bin/candor")).contains("bin/candor-env.sh"));
    assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains(". bin/candor-env.sh"));
    assertTrue(
        Files.readString(ROOT.resolve("docker/candor")).contains(". /opt/candor/candor-env.sh"));
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertEquals(
        2,
        dockerfile.split("COPY bin/candor-env.sh /opt/candor/candor-env.sh", -1).length - 1,
        "both images carry the settings");
  }

  @Test
  void shouldDescribeAllocatorAndThreadSettings() {
    assertEquals("glibc malloc defaults, OMP_WAIT_POLICY=unset", MachineInfo.settings(Map.of()));
    Map<String, String> tuned = new HashMap<>(MachineInfo.TUNED_MALLOC);
    tuned.put("OMP_WAIT_POLICY", "PASSIVE");
    String s = MachineInfo.settings(tuned);
    assertTrue(s.startsWith("glibc malloc tuned by bin/candor-env.sh (MALLOC_"), s);
    assertTrue(s.endsWith("OMP_WAIT_POLICY=PASSIVE"), s);
    assertTrue(
        MachineInfo.settings(Map.of("MALLOC_TOP_PAD_", "1", "LD_PRELOAD", "libjemalloc.so.2"))
            .startsWith("glibc malloc MALLOC_TOP_PAD_=1, LD_PRELOAD=libjemalloc.so.2"));
  }

  @Test
  void shouldNameVectorExtensionsAndTellWhenAvx512IsMissing() {
    Set<String> epyc = Set.of("fpu", "sse4_2", "avx", "avx2", "fma");
    Set<String> xeon = Set.of("avx2", "fma", "avx512f", "avx512_vnni", "amx_tile");
    assertEquals("avx2, fma; no avx512f, no amx_tile", MachineInfo.vectorExtensions(epyc));
    assertEquals("avx2, fma, avx512f, avx512_vnni, amx_tile", MachineInfo.vectorExtensions(xeon));
    String notice = MachineInfo.missingExtensionNotice(epyc, "AMD EPYC");
    assertNotNull(notice);
    assertTrue(notice.contains("AMD EPYC") && notice.contains("avx512f"), notice);
    assertNull(MachineInfo.missingExtensionNotice(xeon, "Intel Xeon"));
    assertNull(MachineInfo.missingExtensionNotice(Set.of(), "unknown"), "flags unknown: silent");
  }

  @Test
  void shouldTellOnlyModelCommandsOnceAndNeverWhenSwitchedOff() {
    Set<String> epyc = Set.of("avx2");
    assertNotNull(CandorCommand.startupNotice(new String[] {"train"}, epyc, "EPYC", null));
    assertNotNull(CandorCommand.startupNotice(new String[] {"bench", "model"}, epyc, "EPYC", null));
    assertNull(CandorCommand.startupNotice(new String[] {"topics"}, epyc, "EPYC", null));
    assertNull(CandorCommand.startupNotice(new String[] {"train", "--help"}, epyc, "EPYC", null));
    assertNull(CandorCommand.startupNotice(new String[] {}, epyc, "EPYC", null));
    assertNull(CandorCommand.startupNotice(new String[] {"train"}, epyc, "EPYC", "off"));
    assertNull(CandorCommand.startupNotice(new String[] {"train"}, Set.of("avx512f"), "X", null));
  }

  @Test
  void shouldReadFaultsAndCpuTimesFromProcStat() throws IOException {
    // a command name with a space and a parenthesis, as the kernel may report it
    String line =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 123456 0 7 0 2500 310 0 0 20 0 40 0 9"
            + " 100 200 18446744073709551615";
    assertArrayEquals(new long[] {123456, 2500, 310}, TrainingProbe.stat(line));
    long[] self = TrainingProbe.stat(Files.readString(Path.of("/proc/self/stat")));
    assertTrue(self[0] > 0 && self[1] >= 0 && self[2] >= 0);
    assertEquals(
        2.5, TrainingProbe.peakResidentMib("Name:\tjava\nVmHWM:\t    2560 kB\nVmRSS:\t1 kB\n"));
    assertTrue(TrainingProbe.peakResidentMib(Files.readString(Path.of("/proc/self/status"))) > 1);
    TrainingProbe.Result r = new TrainingProbe.Result(12.5, 10, 15, 5, 2000, 812.5);
    TrainingProbe.Result back = TrainingProbe.Result.parse(r.line());
    assertEquals(12.5, back.textsPerSecond(), 1e-9);
    assertEquals(0.25, back.kernelShare(), 1e-9);
    assertEquals(200, back.faultsPerSecond(), 1e-9);
    assertEquals(812.5, back.peakResidentMib(), 1e-9);
  }

  @Test
  void shouldCompareDefaultsWithTheTunedSettingsInChildProcesses() {
    List<ProcessSettingsBench.Variant> v = ProcessSettingsBench.variants(false);
    assertEquals(2, v.size());
    assertTrue(v.get(0).env().containsKey("MALLOC_MMAP_THRESHOLD_"));
    assertNull(v.get(0).env().get("MALLOC_MMAP_THRESHOLD_"), "defaults remove the tuning");
    assertEquals("off", v.get(0).env().get("CANDOR_MALLOC_TUNING"));
    for (String k : MachineInfo.TUNED_MALLOC.keySet()) {
      assertEquals(MachineInfo.TUNED_MALLOC.get(k), v.get(1).env().get(k));
    }
    assertEquals(4, ProcessSettingsBench.variants(true).size());
    assertFalse(ProcessSettingsBench.variants(true).get(3).jvmArgs().isEmpty());
  }

  /** The environment after sourcing bin/candor-env.sh in POSIX sh with {@code env} set. */
  private static Map<String, String> sourced(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", ". ./bin/candor-env.sh && env").directory(ROOT.toFile());
    for (String k : MachineInfo.TUNED_MALLOC.keySet()) {
      pb.environment().remove(k);
    }
    pb.environment().remove("CANDOR_MALLOC_TUNING");
    pb.environment().remove("OMP_WAIT_POLICY");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    Map<String, String> vars = new HashMap<>();
    for (String l : out.split("\n")) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        vars.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return vars;
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("bin/candor-env.sh"))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no bin/candor-env.sh above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
