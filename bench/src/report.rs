//! The report: Markdown tables (also printed while running), results.json and
//! PNG plots drawn with plotters (bitmap backend, a system TTF font loaded at
//! run time).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};

use crate::load::RunResult;

/// Which server a result is from.
pub const WIKID: &str = "wikid";
pub const MEDIAWIKI: &str = "mediawiki";
pub const FLOOR: &str = "floor";

#[derive(Default)]
pub struct Report {
    pub title_lines: Vec<String>,
    pub sections: Vec<(String, String)>,
    /// (target, result)
    pub results: Vec<(String, RunResult)>,
    pub workloads: Vec<(String, String)>,
}

pub fn fmt_rate(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

pub fn fmt_ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 1.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

fn ratio(a: f64, b: f64) -> String {
    if a > 0.0 && b > 0.0 {
        let r = a / b;
        if r >= 10.0 {
            format!("{r:.0}×")
        } else if r >= 0.1 {
            format!("{r:.2}×")
        } else {
            format!("{r:.4}×")
        }
    } else {
        "–".into()
    }
}

/// Errors as `total (http/transport/api)` or `0`.
pub fn fmt_errors(r: &RunResult) -> String {
    if r.errors() == 0 {
        "0".into()
    } else {
        format!(
            "{} ({}/{}/{})",
            r.errors(),
            r.http_errors,
            r.transport_errors,
            r.api_errors
        )
    }
}

/// One stdout line for a finished run.
pub fn line(target: &str, r: &RunResult) -> String {
    let mut s = format!(
        "{target:<9} {:<22} c={:<3} {:>9} it/s  p50 {:>7} ms  p90 {:>7} ms  p99 {:>7} ms  errors {}",
        r.workload,
        r.concurrency,
        fmt_rate(r.rate),
        fmt_ms(r.p50_ms),
        fmt_ms(r.p90_ms),
        fmt_ms(r.p99_ms),
        fmt_errors(r)
    );
    if r.requests != r.iterations {
        let _ = write!(s, "  ({} req/s)", fmt_rate(r.req_rate));
    }
    if let Some(k) = r.peak_rss_kib {
        let _ = write!(s, "  rss {} MiB", k / 1024);
    }
    if let (Some(server), Some(gen)) = (r.server_cpu, r.loadgen_cpu) {
        let _ = write!(s, "  cpu {server:.2}+{gen:.2}");
    }
    if let Some((n, used)) = r.supply {
        let _ = write!(
            s,
            "  pages {used}/{n}{}",
            if r.supply_exhausted { " (ran out)" } else { "" }
        );
    }
    s
}

impl Report {
    fn find(&self, target: &str, workload: &str, c: usize) -> Option<&RunResult> {
        self.results
            .iter()
            .find(|(t, r)| t == target && r.workload == workload && r.concurrency == c)
            .map(|(_, r)| r)
    }

    /// The ratio cell for the targets section.
    pub fn ratio_of(&self, workload: &str, c: usize, other: &str, other_workload: &str) -> String {
        match (
            self.find(WIKID, workload, c),
            self.find(other, other_workload, c),
        ) {
            (Some(a), Some(b)) => ratio(a.rate, b.rate),
            _ => "–".into(),
        }
    }

    pub fn get(&self, target: &str, workload: &str, c: usize) -> Option<&RunResult> {
        self.find(target, workload, c)
    }

    pub fn markdown(&self, plots: &[(String, PathBuf)]) -> String {
        let mut md = String::new();
        for l in &self.title_lines {
            md.push_str(l);
            md.push('\n');
        }
        for (h, body) in &self.sections {
            let _ = write!(md, "\n## {h}\n\n{body}\n");
        }
        md.push_str("\n## Results per workload\n\n");
        md.push_str(
            "Rates are iterations per second (one request each, except login: four). \
             Latencies in ms over all iterations of the run. Errors: total (non-2xx / \
             transport / API error). Ratios: wikid's rate divided by MediaWiki's and by \
             the floor's (bare axum handler) at the same concurrency, measured in this run. \
             RSS: peak VmRSS of the server sampled every 50 ms during the run (MediaWiki: \
             sum over its Apache processes, shared pages counted in each). CPU: cores used \
             during the run by the server + by the load generator (CPU seconds from \
             /proc divided by the run's seconds; the machine has two): a run whose sum is \
             well below the core count was held up by waiting (disk syncs, locks), not by \
             the CPU.\n",
        );
        let has_mw = self.results.iter().any(|(t, _)| t == MEDIAWIKI);
        for (w, desc) in &self.workloads {
            let mut cs: Vec<usize> = self
                .results
                .iter()
                .filter(|(t, r)| t != FLOOR && &r.workload == w)
                .map(|(_, r)| r.concurrency)
                .collect();
            cs.sort();
            cs.dedup();
            if cs.is_empty() {
                continue;
            }
            let _ = write!(md, "\n### {w}\n\n{desc}\n\n");
            if has_mw {
                md.push_str("| c | wikid it/s | p50 | p90 | p99 | errors | RSS MiB | CPU | MediaWiki it/s | p50 | p90 | p99 | errors | CPU | wikid ÷ MW | wikid ÷ floor |\n");
                md.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            } else {
                md.push_str(
                    "| c | wikid it/s | p50 | p90 | p99 | errors | RSS MiB | CPU | wikid ÷ floor |\n",
                );
                md.push_str("|---|---|---|---|---|---|---|---|---|\n");
            }
            let mut notes = Vec::new();
            for c in cs {
                let cell = |r: Option<&RunResult>| -> [String; 5] {
                    match r {
                        Some(r) => [
                            fmt_rate(r.rate),
                            fmt_ms(r.p50_ms),
                            fmt_ms(r.p90_ms),
                            fmt_ms(r.p99_ms),
                            fmt_errors(r),
                        ],
                        None => ["–".into(), "–".into(), "–".into(), "–".into(), "–".into()],
                    }
                };
                let wr = self.find(WIKID, w, c);
                let a = cell(wr);
                let rss = wr
                    .and_then(|r| r.peak_rss_kib)
                    .map(|k| (k / 1024).to_string())
                    .unwrap_or("–".into());
                let floor = self.ratio_of(w, c, FLOOR, "floor");
                let cpu = |r: Option<&RunResult>| match r.map(|r| (r.server_cpu, r.loadgen_cpu)) {
                    Some((Some(s), Some(g))) => format!("{s:.2} + {g:.2}"),
                    _ => "–".into(),
                };
                let wcpu = cpu(wr);
                if has_mw {
                    let mr = self.find(MEDIAWIKI, w, c);
                    let b = cell(mr);
                    let mcpu = cpu(mr);
                    let _ = writeln!(
                        md,
                        "| {c} | {} | {} | {} | {} | {} | {rss} | {wcpu} | {} | {} | {} | {} | {} | {mcpu} | {} | {floor} |",
                        a[0], a[1], a[2], a[3], a[4], b[0], b[1], b[2], b[3], b[4],
                        self.ratio_of(w, c, MEDIAWIKI, w)
                    );
                } else {
                    let _ = writeln!(
                        md,
                        "| {c} | {} | {} | {} | {} | {} | {rss} | {wcpu} | {floor} |",
                        a[0], a[1], a[2], a[3], a[4]
                    );
                }
                for (t, r) in self
                    .results
                    .iter()
                    .filter(|(_, r)| &r.workload == w && r.concurrency == c)
                {
                    if let Some((n, used)) = r.supply {
                        notes.push(format!(
                            "{t} c={c}: {} ok of {used} pages taken from a share of {n}{}{}",
                            r.ok_writes,
                            if r.supply_exhausted {
                                " — **the share ran out before the duration ended**"
                            } else {
                                ""
                            },
                            match r.log_rows {
                                Some(l) if l == r.ok_writes => {
                                    format!("; log rows added: {l} (match)")
                                }
                                Some(l) => format!("; log rows added: {l} — **MISMATCH**"),
                                None => String::new(),
                            }
                        ));
                    } else if let Some(l) = r.log_rows {
                        notes.push(format!(
                            "{t} c={c}: {} successful deletes, {l} delete log rows added{}",
                            r.ok_writes,
                            if l == r.ok_writes {
                                " (match)"
                            } else {
                                " — **MISMATCH**"
                            }
                        ));
                    }
                    if r.requests != r.iterations {
                        notes.push(format!(
                            "{t} c={c}: {} requests/s, per-request p50 {} ms, p99 {} ms",
                            fmt_rate(r.req_rate),
                            fmt_ms(r.req_p50_ms),
                            fmt_ms(r.req_p99_ms)
                        ));
                    }
                    for s in &r.samples {
                        notes.push(format!(
                            "{t} c={c} error sample: `{}`",
                            s.replace('`', "'").replace('\n', " ")
                        ));
                    }
                }
            }
            if !notes.is_empty() {
                md.push('\n');
                for n in notes {
                    let _ = writeln!(md, "- {n}");
                }
            }
            if let Some((_, p)) = plots.iter().find(|(pw, _)| pw == w) {
                let name = p.file_name().and_then(|s| s.to_str()).unwrap_or("");
                let _ = write!(md, "\n![{w}]({name})\n");
            }
        }
        if let Some(floor) = self
            .results
            .iter()
            .filter(|(t, _)| t == FLOOR)
            .map(|(_, r)| r)
            .next()
        {
            let _ = floor;
            md.push_str("\n### floor\n\nThe bare-server floor (same load generator, same concurrencies): an axum handler in wikid-bench (`floor-server`, a separate process) that parses a 200-byte POST form and answers a small JSON.\n\n| c | it/s | p50 | p90 | p99 | errors |\n|---|---|---|---|---|---|\n");
            for (_, r) in self.results.iter().filter(|(t, _)| t == FLOOR) {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} |",
                    r.concurrency,
                    fmt_rate(r.rate),
                    fmt_ms(r.p50_ms),
                    fmt_ms(r.p90_ms),
                    fmt_ms(r.p99_ms),
                    fmt_errors(r)
                );
            }
        }
        md
    }

    /// Draws one PNG per workload (throughput and latency panels).
    pub fn plots(&self, dir: &Path) -> Result<Vec<(String, PathBuf)>> {
        load_font()?;
        let mut out = Vec::new();
        for (w, _) in &self.workloads {
            if !self.results.iter().any(|(_, r)| &r.workload == w) {
                continue;
            }
            let path = dir.join(format!("{w}.png"));
            self.plot_one(w, &path)?;
            out.push((w.clone(), path));
        }
        Ok(out)
    }

    fn series(
        &self,
        target: &str,
        workload: &str,
        f: impl Fn(&RunResult) -> f64,
    ) -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = self
            .results
            .iter()
            .filter(|(t, r)| t == target && r.workload == workload)
            .map(|(_, r)| (r.concurrency as f64, f(r)))
            .filter(|(_, y)| *y > 0.0)
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    fn plot_one(&self, w: &str, path: &Path) -> Result<()> {
        use plotters::prelude::*;
        let e = |e: &dyn std::fmt::Debug| anyhow!("plot {w}: {e:?}");
        let root = BitMapBackend::new(path, (1200, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let (left, right) = root.split_horizontally(600);
        let wikid = RGBColor(200, 60, 30);
        let mw = RGBColor(40, 90, 190);
        let floor = RGBColor(120, 120, 120);
        let cmax = self
            .results
            .iter()
            .map(|(_, r)| r.concurrency as f64)
            .fold(1.0, f64::max);
        let xr = (0.8f64..cmax * 1.25).log_scale();

        // Throughput.
        let mut curves: Vec<(String, RGBColor, Vec<(f64, f64)>)> = vec![
            ("wikid".into(), wikid, self.series(WIKID, w, |r| r.rate)),
            (
                "MediaWiki".into(),
                mw,
                self.series(MEDIAWIKI, w, |r| r.rate),
            ),
        ];
        if w != "floor" {
            curves.push((
                "floor".into(),
                floor,
                self.series(FLOOR, "floor", |r| r.rate),
            ));
        }
        let ys: Vec<f64> = curves
            .iter()
            .flat_map(|c| c.2.iter().map(|p| p.1))
            .collect();
        let (lo, hi) = bounds(&ys);
        let mut chart = ChartBuilder::on(&left)
            .caption(format!("{w}: throughput"), ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(xr.clone(), (lo..hi).log_scale())
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc("concurrency")
            .y_desc("iterations/s")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(|x| e(&x))?;
        for (name, color, pts) in curves {
            if pts.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                .map_err(|x| e(&x))?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, 4, color.filled())))
                .map_err(|x| e(&x))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(|x| e(&x))?;

        // Latency percentiles.
        let mut curves: Vec<(String, ShapeStyle, Vec<(f64, f64)>)> = Vec::new();
        for (target, label, color) in [(WIKID, "wikid", wikid), (MEDIAWIKI, "MediaWiki", mw)] {
            for (q, width, f) in [
                (
                    "p50",
                    1,
                    (|r: &RunResult| r.p50_ms) as fn(&RunResult) -> f64,
                ),
                ("p90", 2, |r: &RunResult| r.p90_ms),
                ("p99", 3, |r: &RunResult| r.p99_ms),
            ] {
                let pts = self.series(target, w, f);
                if !pts.is_empty() {
                    curves.push((format!("{label} {q}"), color.stroke_width(width), pts));
                }
            }
        }
        let ys: Vec<f64> = curves
            .iter()
            .flat_map(|c| c.2.iter().map(|p| p.1))
            .collect();
        let (lo, hi) = bounds(&ys);
        let mut chart = ChartBuilder::on(&right)
            .caption(format!("{w}: latency"), ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(xr, (lo..hi).log_scale())
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc("concurrency")
            .y_desc("ms")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| {
                if *y >= 1.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.2}")
                }
            })
            .draw()
            .map_err(|x| e(&x))?;
        for (name, style, pts) in curves {
            chart
                .draw_series(LineSeries::new(pts.clone(), style))
                .map_err(|x| e(&x))?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, 3, style.color.filled())))
                .map_err(|x| e(&x))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
        Ok(())
    }
}

fn bounds(ys: &[f64]) -> (f64, f64) {
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(0.0, f64::max);
    if !lo.is_finite() || hi <= 0.0 {
        return (0.1, 10.0);
    }
    (lo / 2.0, hi * 2.0)
}

const FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

/// Registers a system TTF as "sans-serif" (`BENCH_FONT` overrides the path).
fn load_font() -> Result<()> {
    let candidates: Vec<String> = std::env::var("BENCH_FONT")
        .ok()
        .into_iter()
        .chain(FONTS.iter().map(|s| s.to_string()))
        .collect();
    for p in &candidates {
        if let Ok(bytes) = std::fs::read(p) {
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            plotters::style::register_font("sans-serif", plotters::style::FontStyle::Normal, bytes)
                .map_err(|_| anyhow!("{p} is not a usable font"))?;
            return Ok(());
        }
    }
    Err(anyhow!(
        "no TTF font found (tried {}; install fonts-dejavu-core or set BENCH_FONT)",
        candidates.join(", ")
    ))
}
