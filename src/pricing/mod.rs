//! The cost estimate: each resource priced line by line from `aws`'s list prices, with
//! what cannot be priced said, never counted as $0; and what-if comparisons.

mod estimate;
mod kinds;
mod whatif;

pub use estimate::{ContainerTotal, CostReport, LineItem, NotPriced, estimate};
pub use whatif::{
    COMPARED, Scenario, compare_purchase_options, move_to_region, with_purchase_option,
};
