//! Every line of every template's estimate, in several Regions, carries exactly the price of
//! the row it names in the shipped tables, read here independently with a plain CSV reader.

use std::collections::HashMap;

use cloudcanvas::aws::FALLBACK_REGION;
use cloudcanvas::library::templates;
use cloudcanvas::pricing::{LineItem, estimate, move_to_region};

/// The rows of one shipped table, by column name.
fn table(file: &str) -> Vec<HashMap<String, String>> {
    let path = format!("{}/src/aws/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// The price in the row `line` names; panics if the row is not there exactly once.
fn row_price(
    tables: &mut HashMap<&'static str, Vec<HashMap<String, String>>>,
    line: &LineItem,
) -> f64 {
    let source = line.source;
    let rows = tables
        .entry(source.table)
        .or_insert_with(|| table(source.table));
    let matching: Vec<_> = rows
        .iter()
        .filter(|row| {
            source
                .key_columns
                .iter()
                .zip(source.key)
                .all(|(column, value)| row.get(*column).map(String::as_str) == Some(value))
        })
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one row for {source} ({})",
        line.formula()
    );
    matching[0][source.column]
        .parse()
        .unwrap_or_else(|e| panic!("{source}: {e}"))
}

#[test]
fn every_line_of_every_template_has_the_price_of_its_source_row() {
    let mut tables = HashMap::new();
    let mut checked = 0;
    let mut fallbacks = 0;
    for template in templates::all() {
        for region in ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"] {
            let mut diagram = template.load().unwrap();
            move_to_region(&mut diagram, region);
            let report = estimate(&diagram);
            assert!(
                !report.lines.is_empty(),
                "{} has priced lines",
                template.name
            );
            for line in &report.lines {
                assert_eq!(
                    line.unit_price_usd,
                    row_price(&mut tables, line),
                    "{} in {region}: {}",
                    template.name,
                    line.formula()
                );
                // A line is marked "price from us-east-1" exactly when its row is us-east-1's
                // and another Region was asked for.
                let row_region = line
                    .source
                    .key_columns
                    .iter()
                    .position(|c| *c == "region")
                    .map_or(FALLBACK_REGION, |i| line.source.key[i]);
                assert_eq!(
                    line.price_from_us_east_1,
                    row_region != region,
                    "{} in {region}: {} from {}",
                    template.name,
                    line.formula(),
                    line.source
                );
                fallbacks += usize::from(line.price_from_us_east_1);
                checked += 1;
            }
        }
    }
    assert!(
        checked > 400 && fallbacks > 50,
        "{checked} lines, {fallbacks} fallbacks"
    );
}
