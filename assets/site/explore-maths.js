/* loss-scenes explorable pages: the maths, as `loss-scenes compute` does it (no page, no DOM).
 *
 * Ported rule for rule from the Python it must equal (tests/site/test_explore_parity.py runs
 * this file in Node against compute): the descent of scenes/maths/descent.py, the references of
 * scenes/maths/references.py, the start of scenes/maths/data_scale.py, the number formats of
 * scenes/numbers.py. A loss arrives as two generated functions, loss(r, c) and slope(r, c)
 * (scenes/formula/javascript.py), so no loss is written here.
 */
"use strict";

(function (root) {
  // --- scenes/numbers.py ------------------------------------------------------------------
  const VALUE_DIGITS = 4;

  /** Python's f"{value:.{digits}g}". */
  function significant(value, digits = 6) {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    if (value === 0) return Object.is(value, -0) ? "-0" : "0";
    const exponential = value.toExponential(Math.max(digits - 1, 0));
    const exponent = Number(exponential.split("e")[1]);
    if (exponent < -4 || exponent >= digits) {
      let [mantissa] = exponential.split("e");
      if (mantissa.includes(".")) mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
      const sign = exponent < 0 ? "-" : "+";
      return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
    }
    let fixed = value.toFixed(Math.max(digits - 1 - exponent, 0));
    if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
    return fixed;
  }

  /** numbers.at_resolution: as many digits as tell the value apart at `resolution`. */
  function atResolution(value, resolution) {
    if (!(resolution > 0) || !Number.isFinite(resolution)) {
      return Math.abs(value) < 1e4 ? significant(value, VALUE_DIGITS) : significant(value, 8);
    }
    if (value === 0 || !Number.isFinite(value)) return significant(value);
    const digits =
      Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(resolution)) + 1;
    return significant(value, Math.min(Math.max(digits, VALUE_DIGITS), 17));
  }

  // --- scenes/maths/references.py ---------------------------------------------------------
  function sorted(y) {
    return Float64Array.from(y).sort();
  }

  function sum(values) {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  function point(value) {
    return {value, lo: value, hi: value};
  }

  function mean(y) {
    return point(sum(y) / y.length);
  }

  function medianOfSorted(ordered) {
    const n = ordered.length;
    const lo = ordered[(n - 1) >> 1];
    const hi = ordered[n >> 1];
    return {value: n % 2 ? lo : (lo + hi) / 2, lo, hi};
  }

  function median(y) {
    return medianOfSorted(sorted(y));
  }

  /** The first index in [lo, hi) where `test` holds (test is false, then true, along z). */
  function firstWhere(lo, hi, test) {
    while (lo < hi) {
      const middle = (lo + hi) >> 1;
      if (test(middle)) hi = middle;
      else lo = middle + 1;
    }
    return lo;
  }

  /** references.huber_location: the exact Huber M-estimate, centred on the median first.
   *  The segment between breakpoints y_i +- delta whose exact root lies in it is found by
   *  bisection over the segments (the root moves right as the segments do). */
  function huberLocation(y, delta) {
    const ordered = sorted(y);
    const center = medianOfSorted(ordered).value;
    const z = ordered.map((v) => v - center);
    const n = z.length;
    const all = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      all[i] = z[i] - delta;
      all[n + i] = z[i] + delta;
    }
    all.sort();
    const breaks = [];
    for (const b of all) if (!breaks.length || b !== breaks[breaks.length - 1]) breaks.push(b);
    if (breaks.length < 2) return shift(huberByBisection(z, delta), center);
    function segment(k) {
      const lo = breaks[k];
      const hi = breaks[k + 1];
      const middle = (lo + hi) / 2;
      // As in Python: offset = y - middle, compared with delta (monotone in y).
      const left = firstWhere(0, n, (i) => !(z[i] - middle <= -delta));
      const right = n - firstWhere(0, n, (i) => z[i] - middle >= delta);
      let inside = 0;
      let total = 0;
      for (let i = left; i < n - right; i++) {
        if (Math.abs(z[i] - middle) < delta) {
          inside += 1;
          total += z[i];
        }
      }
      return {lo, hi, middle, left, right, inside, total};
    }
    let a = 0;
    let b = breaks.length - 2;
    for (let guard = 0; guard < 200 && a <= b; guard++) {
      const k = (a + b) >> 1;
      const s = segment(k);
      if (s.inside === 0) {
        const pull = s.right - s.left;
        if (pull === 0) return shift({value: s.middle, lo: s.lo, hi: s.hi}, center);
        if (pull > 0) a = k + 1;
        else b = k - 1;
        continue;
      }
      const root = (s.total + delta * (s.right - s.left)) / s.inside;
      const slack = 1e-12 * (Math.abs(s.lo) + Math.abs(s.hi) + delta);
      if (root < s.lo - slack) b = k - 1;
      else if (root > s.hi + slack) a = k + 1;
      else return shift(point(root), center);
    }
    return shift(huberByBisection(z, delta), center);
  }

  function shift(reference, by) {
    return {value: reference.value + by, lo: reference.lo + by, hi: reference.hi + by};
  }

  function huberByBisection(z, delta) {
    const s = (theta) => {
      let total = 0;
      for (const v of z) total += Math.min(Math.max(v - theta, -delta), delta);
      return total;
    };
    let lo = Math.min(...z) - delta;
    let hi = Math.max(...z) + delta;
    for (let i = 0; i < 2100; i++) {
      const middle = 0.5 * (lo + hi);
      if (middle === lo || middle === hi) break;
      if (s(middle) > 0) lo = middle;
      else hi = middle;
    }
    return point(Math.abs(s(lo)) <= Math.abs(s(hi)) ? lo : hi);
  }

  /** references.trimmed_mean: the mean of the observations within delta of center. */
  function trimmedMean(y, center, delta) {
    let count = 0;
    let total = 0;
    for (const v of y) {
      if (Math.abs(v - center) <= delta) {
        count += 1;
        total += v;
      }
    }
    return count ? total / count : null;
  }

  const MAD_TO_SIGMA = 1.0 / 0.6744897501960817;
  const MEAN_AD_TO_SIGMA = Math.sqrt(Math.PI / 2.0);
  const AUTO_DELTA_FACTOR = 1.345;

  /** references.robust_scale and data_scale.robust_delta: delta: auto. */
  function robustDelta(y) {
    const center = median(y).value;
    const deviations = Array.from(y, (v) => Math.abs(v - center));
    const mad = median(deviations).value * MAD_TO_SIGMA;
    if (mad > 0) return AUTO_DELTA_FACTOR * mad;
    const meanAd = mean(deviations).value * MEAN_AD_TO_SIGMA;
    return AUTO_DELTA_FACTOR * (meanAd > 0 ? meanAd : 1.0);
  }

  // --- scenes/maths/data_scale.py and descent.py ------------------------------------------
  function extent(y, extra) {
    let lo = extra === undefined ? Infinity : extra;
    let hi = extra === undefined ? -Infinity : extra;
    for (const v of y) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }

  function defaultStart(y) {
    const [lo, hi] = extent(y);
    const spread = hi - lo;
    return lo - (spread > 0 ? spread / 3.0 : 1.0);
  }

  const GROWTH = 1.1;
  const SHRINK = 0.5;

  function firstMove(y, theta0, steps) {
    const [lo, hi] = extent(y, theta0);
    let span = hi - lo;
    if (span === 0) span = Math.max(1.0, Math.abs(theta0)) * 1e-3;
    return span * Math.min(0.5, 1.0 / steps);
  }

  /** descent.descend: the sign rule with bounded step lengths; the whole trajectory. */
  function descend(slope, c, y, theta0, steps) {
    const n = y.length;
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(slope(y[i] - theta0, c)));
    let eta = firstMove(y, theta0, steps) / (largest > 0 ? largest : 1.0);
    const trajectory = new Float64Array(steps + 1);
    let theta = theta0;
    let previousDirection = 0;
    let previousLength = Infinity;
    for (let t = 0; t < steps; t++) {
      trajectory[t] = theta;
      let total = 0;
      for (let i = 0; i < n; i++) total += slope(y[i] - theta, c);
      const meanPull = total / n;
      const direction = Math.sign(meanPull);
      const turned = direction * previousDirection;
      eta = turned < 0 ? eta * SHRINK : turned > 0 ? eta * GROWTH : eta;
      const longest = previousLength * (turned < 0 ? SHRINK : GROWTH);
      const strength = Math.abs(meanPull);
      if (eta * strength > longest) eta = longest / (strength > 0 ? strength : 1.0);
      const move = eta * meanPull;
      theta = theta + move;
      if (direction !== 0) {
        previousDirection = direction;
        previousLength = Math.abs(move);
      }
    }
    trajectory[steps] = theta;
    return {trajectory, estimate: theta};
  }

  // --- the curves (scenes/maths/curves.py, on the page's own grid) ------------------------
  /** Loss, density exp(-l) / Z (Z by Simpson's rule over the plotted range, shifted by the
   *  least loss so that it cannot underflow) and derivative at `num` points of [lo, hi]. */
  function curves(loss, slope, c, lo, hi, num = 401) {
    const x = new Float64Array(num);
    const values = new Float64Array(num);
    const derivative = new Float64Array(num);
    for (let i = 0; i < num; i++) {
      x[i] = lo + ((hi - lo) * i) / (num - 1);
      values[i] = loss(x[i], c);
      derivative[i] = slope(x[i], c);
    }
    const intervals = 4096;
    const h = (hi - lo) / intervals;
    const fine = new Float64Array(intervals + 1);
    let least = Infinity;
    for (let i = 0; i <= intervals; i++) {
      fine[i] = loss(lo + h * i, c);
      if (fine[i] < least) least = fine[i];
    }
    let mass = 0;
    for (let i = 0; i <= intervals; i++) {
      const weight = i === 0 || i === intervals ? 1 : i % 2 ? 4 : 2;
      mass += weight * Math.exp(-(fine[i] - least));
    }
    const logZ = Math.log((h / 3) * mass) - least;
    const density = values.map((v) => Math.exp(-v - logZ));
    return {x, loss: values, density, derivative, logNormalizer: logZ};
  }

  const api = {
    significant,
    atResolution,
    mean,
    median,
    huberLocation,
    trimmedMean,
    robustDelta,
    defaultStart,
    descend,
    curves,
  };
  root.LossScenesMaths = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
