//! Where users and Regions are, for Route 53 latency and geolocation routing: continents
//! (Route 53's geolocation codes), the continent of each Region, and typical round trips
//! between continents.

/// A continent, as Route 53 geolocation names them (AN, Antarctica, has no users here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Continent {
    NorthAmerica,
    SouthAmerica,
    Europe,
    Africa,
    Asia,
    Oceania,
}

use Continent::*;

impl Continent {
    /// Route 53's geolocation code.
    pub fn code(self) -> &'static str {
        match self {
            NorthAmerica => "NA",
            SouthAmerica => "SA",
            Europe => "EU",
            Africa => "AF",
            Asia => "AS",
            Oceania => "OC",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Countries users are often placed in, by ISO code, with their continent.
const COUNTRIES: &[(&str, Continent)] = &[
    ("US", NorthAmerica),
    ("CA", NorthAmerica),
    ("MX", NorthAmerica),
    ("BR", SouthAmerica),
    ("AR", SouthAmerica),
    ("CL", SouthAmerica),
    ("GB", Europe),
    ("IE", Europe),
    ("DE", Europe),
    ("FR", Europe),
    ("ES", Europe),
    ("IT", Europe),
    ("NL", Europe),
    ("SE", Europe),
    ("CH", Europe),
    ("PL", Europe),
    ("ZA", Africa),
    ("NG", Africa),
    ("EG", Africa),
    ("KE", Africa),
    ("IN", Asia),
    ("JP", Asia),
    ("CN", Asia),
    ("KR", Asia),
    ("SG", Asia),
    ("ID", Asia),
    ("AE", Asia),
    ("IL", Asia),
    ("AU", Oceania),
    ("NZ", Oceania),
];

/// Typical round trips in milliseconds between users on one continent and a Region on
/// another (an assumption from public inter-continental latency measurements; only the
/// order matters to latency routing). Rows and columns follow `Continent`.
const ROUND_TRIP_MS: [[u32; 6]; 6] = [
    // NA   SA   EU   AF   AS   OC
    [30, 130, 90, 230, 170, 180],  // North America
    [130, 40, 200, 300, 300, 300], // South America
    [90, 200, 20, 150, 160, 280],  // Europe
    [230, 300, 150, 60, 250, 300], // Africa
    [170, 300, 160, 250, 50, 130], // Asia
    [180, 300, 280, 300, 130, 30], // Oceania
];

/// Where users are: a continent name or code, or a country code; none if unknown.
/// Returns the continent and the country code if one was given.
pub fn place_of(location: &str) -> Option<(Continent, Option<&'static str>)> {
    let l = location.trim();
    if let Some((code, continent)) = COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(l)) {
        return Some((*continent, Some(code)));
    }
    let lower = l.to_ascii_lowercase();
    let continent = match lower.as_str() {
        "na" | "north america" | "americas" => NorthAmerica,
        "sa" | "south america" | "latin america" => SouthAmerica,
        "eu" | "europe" => Europe,
        "af" | "africa" => Africa,
        "as" | "asia" | "asia pacific" | "middle east" => Asia,
        "oc" | "oceania" | "australia" => Oceania,
        _ => return None,
    };
    Some((continent, None))
}

/// The continent of a Region code such as `eu-west-1`.
pub fn continent_of_region(code: &str) -> Option<Continent> {
    // Sydney and Melbourne are in Oceania; the other Asia Pacific Regions in Asia.
    if code.starts_with("ap-southeast-2") || code.starts_with("ap-southeast-4") {
        return Some(Oceania);
    }
    let prefix = code.split('-').next()?;
    Some(match prefix {
        "us" | "ca" | "mx" => NorthAmerica,
        "sa" => SouthAmerica,
        "eu" => Europe,
        "af" => Africa,
        "ap" | "me" | "il" | "cn" => Asia,
        _ => return None,
    })
}

/// Typical round trip from users on `from` to a Region on `to`.
pub fn round_trip_ms(from: Continent, to: Continent) -> u32 {
    ROUND_TRIP_MS[from.index()][to.index()]
}

/// Whether a geolocation record's location is the default one, for users no other
/// location covers.
pub fn is_default(record: &str) -> bool {
    let record = record.trim();
    record.eq_ignore_ascii_case("default") || record == "*"
}

/// Whether a geolocation record's location (`Default`, a continent code or a country
/// code) covers users at `place`: 2 for their country, 1 for their continent, 0 for
/// `Default`; none if it does not cover them.
pub fn geolocation_match(record: &str, place: (Continent, Option<&str>)) -> Option<u8> {
    let record = record.trim();
    if is_default(record) {
        return Some(0);
    }
    if place.1.is_some_and(|c| c.eq_ignore_ascii_case(record)) {
        return Some(2);
    }
    if place.0.code().eq_ignore_ascii_case(record) {
        return Some(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_read_from_names_and_codes() {
        assert_eq!(place_of("North America"), Some((NorthAmerica, None)));
        assert_eq!(place_of("de"), Some((Europe, Some("DE"))));
        assert_eq!(place_of("Middle East"), Some((Asia, None)));
        assert_eq!(place_of("Atlantis"), None);
    }

    #[test]
    fn regions_fall_on_their_continents() {
        assert_eq!(continent_of_region("us-east-1"), Some(NorthAmerica));
        assert_eq!(continent_of_region("eu-central-1"), Some(Europe));
        assert_eq!(continent_of_region("ap-southeast-2"), Some(Oceania));
        assert_eq!(continent_of_region("ap-northeast-1"), Some(Asia));
        assert_eq!(continent_of_region("sa-east-1"), Some(SouthAmerica));
    }

    #[test]
    fn the_nearest_region_is_on_the_users_continent() {
        for c in [NorthAmerica, SouthAmerica, Europe, Africa, Asia, Oceania] {
            for other in [NorthAmerica, SouthAmerica, Europe, Africa, Asia, Oceania] {
                assert!(round_trip_ms(c, c) <= round_trip_ms(c, other));
                assert_eq!(round_trip_ms(c, other), round_trip_ms(other, c));
            }
        }
    }

    #[test]
    fn geolocation_prefers_the_country_then_the_continent_then_default() {
        let berlin = (Europe, Some("DE"));
        assert_eq!(geolocation_match("DE", berlin), Some(2));
        assert_eq!(geolocation_match("EU", berlin), Some(1));
        assert_eq!(geolocation_match("Default", berlin), Some(0));
        assert_eq!(geolocation_match("US", berlin), None);
    }
}
