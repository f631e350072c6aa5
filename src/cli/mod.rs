//! The command-line front end: the same core as the GUI, headless.
//!
//! Exit codes: 0 success, 1 the command's finding (such as validation errors), 2 bad usage
//! or input.

mod cost;
mod export;
mod import;
mod info;
mod report;
mod simulate;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::io;
use crate::library::templates;
use crate::model::Diagram;
use crate::model::overrides::{self, Override};

/// Exit code of success.
pub const EXIT_OK: u8 = 0;
/// Exit code of a command whose finding is negative (such as validation errors).
pub const EXIT_FINDING: u8 = 1;
/// Exit code of bad usage or bad input.
pub const EXIT_USAGE: u8 = 2;

/// Design AWS architectures, see their cost and flaws, and simulate them.
#[derive(Debug, Parser)]
#[command(name = "cloudcanvas", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// A diagram to open in the editor (default: the employee directory template).
    pub file: Option<PathBuf>,
    /// The command to run instead of opening the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
}

const EXAMPLES: &str = "Examples:
  cloudcanvas                                   open the editor on the default template
  cloudcanvas templates                         list the reference architectures
  cloudcanvas new shop --template three-tier -o shop.ron
  cloudcanvas info shop.ron --set app-asg.max_size=8 --format json
  cloudcanvas validate shop.ron --format sarif > findings.sarif
  cloudcanvas simulate shop.ron --duration 2h --seed 7";

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise a diagram: resources by kind, containers and links.
    Info {
        /// The diagram file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// Write the diagram as a picture (SVG, PNG), a draw.io file, CloudFormation templates
    /// or Terraform.
    Export {
        /// The diagram file.
        file: PathBuf,
        /// What to write; by default the output's extension decides (.svg, .png, .drawio,
        /// .yaml/.json for CloudFormation, .tf for Terraform).
        #[arg(long, value_enum)]
        format: Option<export::ExportFormat>,
        /// Where to write it.
        #[arg(short, long)]
        out: PathBuf,
        /// Pixels per canvas unit, for PNG (2 for slides on a sharp screen).
        #[arg(long, default_value_t = 1.0)]
        scale: f32,
        /// Draw with the dark theme.
        #[arg(long)]
        dark: bool,
        /// Only this resource and what it holds (repeatable), instead of the whole diagram.
        #[arg(long, value_name = "ID")]
        only: Vec<String>,
        /// Replace output files that exist.
        #[arg(long)]
        force: bool,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// Estimate the monthly cost at AWS list prices, line by line.
    Cost {
        /// The diagram file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cost::CostFormat::Table)]
        format: cost::CostFormat,
        /// Price in this Region instead of the diagram's (all Regions of the diagram).
        #[arg(long, value_parser = parse_region)]
        region: Option<String>,
        /// Also compare the totals under each EC2 purchase option.
        #[arg(long)]
        compare: bool,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// Check a diagram against the best-practice rules; exit 1 when any error is found.
    Validate {
        /// The diagram file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = validate::ValidateFormat::Text)]
        format: validate::ValidateFormat,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// Run the diagram as a live system and report what happened.
    Simulate {
        /// The diagram file.
        file: PathBuf,
        /// Simulated time to run, such as 90s, 30m, 2h or 1day.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        duration: std::time::Duration,
        /// Seed of the random streams: the same seed gives the same run.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// One simulated request stands for this many real ones: far fewer events at very
        /// high rates; counts and costs are scaled back, response times too.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        sample_weight: u32,
        /// The availability objective in percent the error budget is measured against.
        #[arg(long, default_value_t = crate::sim::DEFAULT_OBJECTIVE_PERCENT, value_parser = parse_objective)]
        slo: f64,
        /// Share of the run left out of the statistics while queues fill (0 to 0.9); it
        /// ends by a scenario's first step at the latest.
        #[arg(long, default_value_t = 0.1, value_parser = parse_warmup)]
        warmup: f64,
        /// A scenario file (`*.scenario.ron`): failures and load changes at set times.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Write each Auto Scaling group's datapoints (size, CPU) to this CSV file.
        #[arg(long, value_name = "CSV")]
        metrics: Option<PathBuf>,
        /// Write the event log to this CSV file.
        #[arg(long, value_name = "CSV")]
        events: Option<PathBuf>,
        /// Replace the CSV files that exist.
        #[arg(long)]
        force: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// List the reference architectures, or show one.
    Templates {
        /// What to do with the templates.
        #[command(subcommand)]
        action: Option<TemplateAction>,
    },
    /// Write a report for a design review or a class: the picture, the cost line by
    /// line, the findings and, with --simulate or --scenario, a run with charts.
    Report {
        /// The diagram file.
        file: PathBuf,
        /// Where to write it: Markdown (pictures beside it as SVG files), or one HTML page
        /// for a .html name.
        #[arg(short, long)]
        out: PathBuf,
        /// Simulate this long (such as 30m or 2h) and report the run.
        #[arg(long, value_parser = humantime::parse_duration)]
        simulate: Option<std::time::Duration>,
        /// Play a scenario during the run: a shipped one's name (see `cloudcanvas
        /// templates`) or a `*.scenario.ron` file; an hour unless --simulate says.
        #[arg(long)]
        scenario: Option<String>,
        /// Seed of the run.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The availability objective in percent the error budget is measured against.
        #[arg(long, default_value_t = crate::sim::DEFAULT_OBJECTIVE_PERCENT, value_parser = parse_objective)]
        slo: f64,
        /// Replace output files that exist.
        #[arg(long)]
        force: bool,
        /// Override a setting after loading, as RESOURCE_ID.FIELD=VALUE (repeatable).
        #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
        set: Vec<Override>,
    },
    /// Read CloudFormation templates (JSON or YAML) as a diagram: one per Region of a
    /// design, named NAME.REGION.yaml or given --region.
    Import {
        /// The templates.
        #[arg(required = true)]
        templates: Vec<PathBuf>,
        /// The Region of templates whose name and metadata do not say.
        #[arg(long, value_parser = parse_region)]
        region: Option<String>,
        /// Where to write the diagram.
        #[arg(long, short)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Create a new diagram file from a template.
    New {
        /// Name of the new architecture.
        name: String,
        /// Template to start from (see `cloudcanvas templates`).
        #[arg(long, short, default_value = templates::DEFAULT_TEMPLATE)]
        template: String,
        /// Where to write the diagram.
        #[arg(long, short)]
        output: PathBuf,
        /// Replace the output file if it exists (its old version is kept as .bak).
        #[arg(long)]
        force: bool,
    },
}

/// What `templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplateAction {
    /// List the templates (the default).
    List,
    /// Describe one template.
    Show {
        /// The template's name.
        name: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Output format of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Text,
    /// JSON, for scripts.
    Json,
}

/// A command's failure: its message and exit code.
#[derive(Debug)]
pub struct Failure {
    /// What to tell the person.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: EXIT_USAGE,
        }
    }
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints usage errors to stderr (code 2) and help to stdout (code 0).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let stdout = std::io::stdout();
    let result = if std::io::IsTerminal::is_terminal(&stdout) {
        execute(cli, &mut TerminalSafe(stdout.lock()))
    } else {
        execute(cli, &mut stdout.lock())
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "error: {}", for_people(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}

/// Output bound for a terminal: names from a diagram can hold control sequences that
/// would move the cursor, retitle the window or hide text, so those are left out.
struct TerminalSafe<W: Write>(W);

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::model::text::terminal(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A message made fit to show: no control characters, and any value longer than a line
/// (a 10,000-character id) cut short.
fn for_people(message: &str) -> String {
    const LONGEST: usize = 160;
    crate::model::text::terminal(message)
        .split(' ')
        .map(|word| {
            if word.chars().count() > LONGEST {
                crate::model::text::shortened(word, 60)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a parsed command, writing its output to `out`; returns the exit code.
pub fn execute(cli: Cli, out: &mut dyn Write) -> Result<u8, Failure> {
    let result = match cli.command {
        None => open_editor(cli.file.as_deref(), out),
        Some(Command::Export {
            file,
            format,
            out: path,
            scale,
            dark,
            only,
            force,
            set,
        }) => {
            let diagram = load_with_overrides(&file, &set)?;
            let picture = export::PictureSettings { scale, dark, only };
            let to = export::Destination {
                out: &path,
                force,
                input: &file,
            };
            let said = export::write(&diagram, format, &to, &picture)?;
            writeln!(out, "{said}").map_err(|e| Failure::usage(e.to_string()))
        }
        Some(Command::Info { file, format, set }) => {
            let diagram = load_with_overrides(&file, &set)?;
            info::write(&diagram, Some(&file), format, out)
        }
        Some(Command::Cost {
            file,
            format,
            region,
            compare,
            set,
        }) => {
            let mut diagram = load_with_overrides(&file, &set)?;
            if let Some(region) = region {
                crate::pricing::move_to_region(&mut diagram, &region);
            }
            cost::write(&diagram, format, cost::CostOptions { compare }, out)
        }
        Some(Command::Simulate {
            file,
            duration,
            seed,
            sample_weight,
            slo,
            warmup,
            scenario,
            metrics,
            events,
            force,
            format,
            set,
        }) => {
            let diagram = load_with_overrides(&file, &set)?;
            let scenario = match scenario {
                Some(path) => Some(report::scenario_file(&path)?),
                None => None,
            };
            let options = simulate::SimulateOptions {
                duration,
                seed,
                sample_weight,
                objective_percent: slo,
                warmup_fraction: warmup,
                scenario,
                metrics,
                events,
                // Drawn only on a terminal: indicatif hides it when stderr is not one.
                progress: true,
                force,
                input: Some(file.clone()),
            };
            simulate::write(&diagram, &options, format, out)
        }
        Some(Command::Validate { file, format, set }) => {
            let diagram = load_with_overrides(&file, &set)?;
            return validate::write(&diagram, &file, format, out);
        }
        Some(Command::Templates {
            action: None | Some(TemplateAction::List),
        }) => list_templates(out),
        Some(Command::Templates {
            action: Some(TemplateAction::Show { name, format }),
        }) => {
            let diagram = load_template(&name)?;
            info::write(&diagram, None, format, out)
        }
        Some(Command::New {
            name,
            template,
            output,
            force,
        }) => new_diagram(&name, &template, &output, force, out),
        Some(Command::Report {
            file,
            out: path,
            simulate,
            scenario,
            seed,
            slo,
            force,
            set,
        }) => {
            let diagram = load_with_overrides(&file, &set)?;
            let request = report::RunRequest {
                duration: simulate,
                scenario,
                seed,
                objective_percent: slo,
            };
            let to = export::Destination {
                out: &path,
                force,
                input: &file,
            };
            let said = report::write(&diagram, &to, &request)?;
            writeln!(out, "{said}").map_err(write_failed)
        }
        Some(Command::Import {
            templates,
            region,
            output,
            force,
        }) => import::run(&templates, region.as_deref(), &output, force, out),
    };
    result.map(|()| EXIT_OK)
}

/// Loads a diagram and applies `--set` overrides: the one loading path of every command.
pub fn load_with_overrides(file: &Path, set: &[Override]) -> Result<Diagram, Failure> {
    let mut diagram = io::load(file).map_err(|e| Failure::usage(e.to_string()))?;
    overrides::apply_all(&mut diagram, set).map_err(|e| Failure::usage(e.to_string()))?;
    Ok(diagram)
}

fn load_template(name: &str) -> Result<Diagram, Failure> {
    let template = templates::find(name).ok_or_else(|| {
        let names: Vec<&str> = templates::all().iter().map(|t| t.name).collect();
        Failure::usage(format!(
            "there is no template `{name}`; templates are: {}",
            names.join(", ")
        ))
    })?;
    template.load().map_err(|e| Failure {
        message: e.to_string(),
        code: EXIT_USAGE,
    })
}

fn list_templates(out: &mut dyn Write) -> Result<(), Failure> {
    let rows: Vec<(&str, String)> = templates::all()
        .iter()
        .map(|t| {
            (
                t.name,
                t.load()
                    .map(|d| d.name)
                    .unwrap_or_else(|e| format!("(broken: {e})")),
            )
        })
        .collect();
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    for (name, title) in rows {
        let marker = if name == templates::DEFAULT_TEMPLATE {
            " (default)"
        } else {
            ""
        };
        writeln!(out, "{name:width$}  {title}{marker}").map_err(write_failed)?;
    }
    writeln!(out, "\nShow one with `cloudcanvas templates show NAME`.").map_err(write_failed)
}

fn new_diagram(
    name: &str,
    template: &str,
    output: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut diagram = load_template(template)?;
    diagram.name = name.to_owned();
    let policy = io::WritePolicy {
        replace: force,
        ..io::WritePolicy::save()
    };
    io::save_with(output, &diagram, &policy).map_err(|e| Failure::usage(e.source.to_string()))?;
    writeln!(
        out,
        "Created {} from the {template} template ({} resources).",
        output.display(),
        diagram.len()
    )
    .map_err(write_failed)
}

fn open_editor(file: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let diagram = match file {
        Some(file) => io::load(file).map_err(|e| Failure::usage(e.to_string()))?,
        None => load_template(templates::DEFAULT_TEMPLATE)?,
    };
    launch(diagram, file.map(Path::to_path_buf), out)
}

#[cfg(feature = "gui")]
fn launch(diagram: Diagram, path: Option<PathBuf>, _out: &mut dyn Write) -> Result<(), Failure> {
    crate::ui::run(diagram, path).map_err(Failure::usage)
}

#[cfg(not(feature = "gui"))]
fn launch(diagram: Diagram, _path: Option<PathBuf>, out: &mut dyn Write) -> Result<(), Failure> {
    writeln!(
        out,
        "Loaded \"{}\" ({} resources, {} links).\nThis build has no editor (it was built without \
         the `gui` feature); use `cloudcanvas info FILE` and `cloudcanvas --help` for the commands.",
        diagram.name,
        diagram.len(),
        diagram.links().len()
    )
    .map_err(write_failed)
}

fn write_failed(e: std::io::Error) -> Failure {
    Failure {
        message: format!("cannot write the output: {e}"),
        code: EXIT_USAGE,
    }
}

/// A Region code of AWS's form, such as eu-west-1.
fn parse_region(text: &str) -> Result<String, String> {
    crate::model::values::check_region_code(text, None)
        .map(|()| text.to_owned())
        .map_err(|e| e.to_string())
}

/// The warm-up share of a run: 0 to 0.9.
fn parse_warmup(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number (write a share like 0.1)"))?;
    if (0.0..=0.9).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{value} is not a share of the run from 0 to 0.9 (0.1 leaves out the first tenth)"
        ))
    }
}

/// An availability objective in percent: above 0, at most 100.
fn parse_objective(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a number (write an objective like 99.9)"))?;
    if value > 0.0 && value <= 100.0 {
        Ok(value)
    } else {
        Err(format!(
            "{value} is not a percentage above 0 and at most 100 (such as 99.9)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_output_loses_control_sequences_and_keeps_text() {
        let mut shown = TerminalSafe(Vec::new());
        writeln!(shown, "name: \u{1b}]0;owned\u{7}\u{1b}[2Jweb").unwrap();
        assert_eq!(
            String::from_utf8(shown.0).unwrap(),
            "name: ]0;owned[2Jweb\n"
        );
    }

    #[test]
    fn long_values_in_messages_are_cut_short() {
        let message = format!("there is no resource `{}`", "x".repeat(10_000));
        let shown = for_people(&message);
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.contains("10002 characters"), "{shown}");
    }
}
