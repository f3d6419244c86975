package testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition, as tests assert on them. */
public final class PrometheusText {

  private PrometheusText() {
  }

  /** The value of one sample, series written exactly as exposed (labels sorted by name); fails when absent. */
  public static double sample(String metrics, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!matcher.find()) {
      throw new AssertionError("no sample " + series + " in:\n" + metrics);
    }
    return Double.parseDouble(matcher.group(1));
  }

  /** Whether any series of {@code name} is exposed. */
  public static boolean has(String metrics, String name) {
    return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(metrics).find();
  }

  /** Every sample of {@code name}, whatever its labels, in exposition order; empty when the series is not exposed. */
  public static List<Double> values(String metrics, String name) {
    return values(metrics, name, "");
  }

  /** The samples of {@code name} whose label text contains {@code labelText} (e.g. {@code area="heap"}). */
  public static List<Double> values(String metrics, String name, String labelText) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
    List<Double> values = new ArrayList<>();
    while (matcher.find()) {
      String labels = matcher.group(1) == null ? "" : matcher.group(1);
      if (labels.contains(labelText)) {
        values.add(Double.parseDouble(matcher.group(2)));
      }
    }
    return values;
  }

  /** The sum of {@link #values(String, String, String)}: e.g. the heap in use over all of a JVM's heap pools. */
  public static double sum(String metrics, String name, String labelText) {
    return values(metrics, name, labelText).stream().mapToDouble(Double::doubleValue).sum();
  }
}
