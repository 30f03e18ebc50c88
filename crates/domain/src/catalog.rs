//! The product catalog. Products are data; the rules read their attributes, never a SKU.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::region::Region;

/// How registering a product delivers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// One Activation Code per product.
    Ac,
    /// A service instance provisioned in the account (plus an AC for reference).
    Saas,
    /// A bundle of products: one Activation Code per component.
    Suite,
}

/// The text given to [`Delivery::from_str`] names no delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown delivery `{0}`; expected ac, saas or suite")]
pub struct UnknownDelivery(pub String);

impl Delivery {
    /// The lower-case code: `ac`, `saas` or `suite`.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Ac => "ac",
            Delivery::Saas => "saas",
            Delivery::Suite => "suite",
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Delivery {
    type Err = UnknownDelivery;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Delivery::Ac, Delivery::Saas, Delivery::Suite]
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownDelivery(s.to_owned()))
    }
}

/// A product of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Stock keeping unit, unique in the catalog (e.g. `XDR-DDI-JP`).
    pub sku: String,
    /// Name shown to customers.
    pub name: String,
    /// How registering it delivers it.
    pub delivery: Delivery,
    /// An enterprise XDR add-on: an order with one takes the account-based flow.
    pub xdr_addon: bool,
    /// An XDR-related endpoint product (shown with a link to the XDR console).
    pub xdr_related: bool,
    /// The SaaS service provisioned (SaaS delivery only), e.g. `cloud-app-security`.
    pub saas_service: Option<String>,
    /// The XDR region this product fixes, if any.
    pub region_pin: Option<Region>,
    /// SKUs of the components (suites only).
    pub components: Vec<String>,
    /// Two-letter prefix of the Registration Keys and Activation Codes of this product.
    pub key_prefix: String,
}

impl Product {
    /// Whether registering this product provisions a SaaS instance.
    pub fn is_saas(&self) -> bool {
        self.delivery == Delivery::Saas
    }

    /// Whether this product is a suite of components.
    pub fn is_suite(&self) -> bool {
        self.delivery == Delivery::Suite
    }
}

/// The products that can be sold, looked up by SKU.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Catalog {
    products: Vec<Product>,
}

/// Builds a seeded product (keeps [`Catalog::seeded`] one line per product).
#[expect(
    clippy::too_many_arguments,
    reason = "one positional row per catalog product mirrors DOMAIN.md's table"
)]
fn row(
    sku: &str,
    name: &str,
    delivery: Delivery,
    xdr_addon: bool,
    xdr_related: bool,
    saas_service: Option<&str>,
    region_pin: Option<Region>,
    components: &[&str],
    key_prefix: &str,
) -> Product {
    Product {
        sku: sku.to_owned(),
        name: name.to_owned(),
        delivery,
        xdr_addon,
        xdr_related,
        saas_service: saas_service.map(str::to_owned),
        region_pin,
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        key_prefix: key_prefix.to_owned(),
    }
}

impl Catalog {
    /// A catalog of the given products (later duplicates of a SKU are ignored by [`Catalog::get`]).
    pub fn new(products: Vec<Product>) -> Self {
        Catalog { products }
    }

    /// The 15 products seeded by the migration (DOMAIN.md's catalog table).
    pub fn seeded() -> Self {
        use Delivery::{Ac, Saas, Suite};
        let cas = Some("cloud-app-security");
        let a1saas = Some("apex-one-saas");
        Catalog::new(vec![
            row(
                "XDR-CAS",
                "XDR Add-On: Cloud App Security",
                Saas,
                true,
                false,
                cas,
                None,
                &[],
                "XC",
            ),
            row(
                "XDR-DDI",
                "XDR Addon: Deep Discovery Inspector",
                Ac,
                true,
                false,
                None,
                None,
                &[],
                "XD",
            ),
            row(
                "XDR-DDI-JP",
                "XDR Addon: Deep Discovery Inspector (JP)",
                Ac,
                true,
                false,
                None,
                Some(Region::Jp),
                &[],
                "XJ",
            ),
            row(
                "XDR-DDI-EU",
                "XDR Addon: Deep Discovery Inspector (EU)",
                Ac,
                true,
                false,
                None,
                Some(Region::Eu),
                &[],
                "XE",
            ),
            row(
                "XDR-EPS",
                "XDR Endpoint Sensor",
                Ac,
                true,
                false,
                None,
                None,
                &[],
                "XS",
            ),
            row(
                "XDR-A1SAAS",
                "XDR Addon: Apex One as a Service",
                Saas,
                true,
                false,
                a1saas,
                None,
                &[],
                "XA",
            ),
            row("A1", "Apex One", Ac, false, true, None, None, &[], "AO"),
            row(
                "A1SAAS",
                "Apex One as a Service",
                Saas,
                false,
                true,
                a1saas,
                None,
                &[],
                "AS",
            ),
            row(
                "CAS",
                "Cloud App Security",
                Saas,
                false,
                false,
                cas,
                None,
                &[],
                "CA",
            ),
            row(
                "DDI",
                "Deep Discovery Inspector",
                Ac,
                false,
                false,
                None,
                None,
                &[],
                "DD",
            ),
            row(
                "SMEX",
                "ScanMail for Microsoft Exchange",
                Ac,
                false,
                false,
                None,
                None,
                &[],
                "SM",
            ),
            row(
                "IMSVA",
                "InterScan Messaging Security Virtual Appliance",
                Ac,
                false,
                false,
                None,
                None,
                &[],
                "IM",
            ),
            row(
                "IWSVA",
                "InterScan Web Security Virtual Appliance",
                Ac,
                false,
                false,
                None,
                None,
                &[],
                "IW",
            ),
            row(
                "WFBSS",
                "Worry-Free Business Security Services",
                Saas,
                false,
                false,
                Some("wfbs-svc"),
                None,
                &[],
                "WF",
            ),
            row(
                "CUP",
                "Complete User Protection",
                Suite,
                false,
                false,
                None,
                None,
                &["A1", "SMEX", "IMSVA", "IWSVA"],
                "CU",
            ),
        ])
    }

    /// The product with this SKU (exact match).
    pub fn get(&self, sku: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.sku == sku)
    }

    /// Every product, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The name of a SKU, or the SKU itself when the catalog does not know it.
    pub fn name_of<'a>(&'a self, sku: &'a str) -> &'a str {
        self.get(sku).map_or(sku, |p| p.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(sku: &str) -> Product {
        Catalog::seeded().get(sku).cloned().unwrap()
    }

    #[test]
    fn seeded_catalog_has_exactly_the_fifteen_products_of_the_domain_table() {
        let catalog = Catalog::seeded();
        let skus: Vec<&str> = catalog.products().iter().map(|p| p.sku.as_str()).collect();
        assert_eq!(
            skus,
            [
                "XDR-CAS",
                "XDR-DDI",
                "XDR-DDI-JP",
                "XDR-DDI-EU",
                "XDR-EPS",
                "XDR-A1SAAS",
                "A1",
                "A1SAAS",
                "CAS",
                "DDI",
                "SMEX",
                "IMSVA",
                "IWSVA",
                "WFBSS",
                "CUP"
            ]
        );
        let mut prefixes: Vec<&str> = catalog
            .products()
            .iter()
            .map(|p| p.key_prefix.as_str())
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), 15, "key prefixes are unique");
        assert!(catalog.get("NOPE").is_none());
    }

    #[test]
    fn xdr_cas_is_a_saas_xdr_addon_providing_cloud_app_security() {
        let p = seeded("XDR-CAS");
        assert_eq!(p.name, "XDR Add-On: Cloud App Security");
        assert_eq!(p.delivery, Delivery::Saas);
        assert!(p.xdr_addon);
        assert_eq!(p.saas_service.as_deref(), Some("cloud-app-security"));
        assert_eq!(p.region_pin, None);
        assert_eq!(p.key_prefix, "XC");
    }

    #[test]
    fn xdr_ddi_is_an_unpinned_ac_xdr_addon() {
        let p = seeded("XDR-DDI");
        assert_eq!(p.name, "XDR Addon: Deep Discovery Inspector");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.region_pin),
            (Delivery::Ac, true, None)
        );
        assert_eq!(p.saas_service, None);
        assert_eq!(p.key_prefix, "XD");
    }

    #[test]
    fn xdr_ddi_jp_is_an_ac_xdr_addon_pinned_to_japan() {
        let p = seeded("XDR-DDI-JP");
        assert_eq!(p.name, "XDR Addon: Deep Discovery Inspector (JP)");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.region_pin),
            (Delivery::Ac, true, Some(Region::Jp))
        );
        assert_eq!(p.key_prefix, "XJ");
    }

    #[test]
    fn xdr_ddi_eu_is_an_ac_xdr_addon_pinned_to_europe() {
        let p = seeded("XDR-DDI-EU");
        assert_eq!(p.name, "XDR Addon: Deep Discovery Inspector (EU)");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.region_pin),
            (Delivery::Ac, true, Some(Region::Eu))
        );
        assert_eq!(p.key_prefix, "XE");
    }

    #[test]
    fn xdr_eps_is_an_unpinned_ac_xdr_addon() {
        let p = seeded("XDR-EPS");
        assert_eq!(p.name, "XDR Endpoint Sensor");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.region_pin),
            (Delivery::Ac, true, None)
        );
        assert_eq!(p.key_prefix, "XS");
    }

    #[test]
    fn xdr_a1saas_is_a_saas_xdr_addon_providing_apex_one_saas() {
        let p = seeded("XDR-A1SAAS");
        assert_eq!(p.name, "XDR Addon: Apex One as a Service");
        assert_eq!((p.delivery, p.xdr_addon), (Delivery::Saas, true));
        assert_eq!(p.saas_service.as_deref(), Some("apex-one-saas"));
        assert_eq!(p.key_prefix, "XA");
    }

    #[test]
    fn apex_one_is_an_xdr_related_ac_product_not_an_addon() {
        let p = seeded("A1");
        assert_eq!(p.name, "Apex One");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.xdr_related),
            (Delivery::Ac, false, true)
        );
        assert_eq!(p.key_prefix, "AO");
    }

    #[test]
    fn apex_one_saas_is_an_xdr_related_saas_product_not_an_addon() {
        let p = seeded("A1SAAS");
        assert_eq!(p.name, "Apex One as a Service");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.xdr_related),
            (Delivery::Saas, false, true)
        );
        assert_eq!(p.saas_service.as_deref(), Some("apex-one-saas"));
        assert_eq!(p.key_prefix, "AS");
    }

    #[test]
    fn cloud_app_security_is_a_saas_product_sharing_the_addon_service() {
        let p = seeded("CAS");
        assert_eq!(p.name, "Cloud App Security");
        assert_eq!(
            (p.delivery, p.xdr_addon, p.xdr_related),
            (Delivery::Saas, false, false)
        );
        assert_eq!(p.saas_service.as_deref(), Some("cloud-app-security"));
        assert_eq!(p.key_prefix, "CA");
    }

    #[test]
    fn plain_ac_products_are_neither_addons_nor_saas() {
        for (sku, name, prefix) in [
            ("DDI", "Deep Discovery Inspector", "DD"),
            ("SMEX", "ScanMail for Microsoft Exchange", "SM"),
            (
                "IMSVA",
                "InterScan Messaging Security Virtual Appliance",
                "IM",
            ),
            ("IWSVA", "InterScan Web Security Virtual Appliance", "IW"),
        ] {
            let p = seeded(sku);
            assert_eq!(p.name, name);
            assert_eq!(p.delivery, Delivery::Ac, "{sku}");
            assert!(!p.xdr_addon && !p.xdr_related, "{sku}");
            assert_eq!((p.saas_service, p.region_pin), (None, None), "{sku}");
            assert_eq!(p.key_prefix, prefix);
        }
    }

    #[test]
    fn worry_free_services_is_a_saas_product() {
        let p = seeded("WFBSS");
        assert_eq!(p.name, "Worry-Free Business Security Services");
        assert_eq!((p.delivery, p.xdr_addon), (Delivery::Saas, false));
        assert_eq!(p.saas_service.as_deref(), Some("wfbs-svc"));
        assert_eq!(p.key_prefix, "WF");
    }

    #[test]
    fn complete_user_protection_is_a_suite_of_four_components() {
        let p = seeded("CUP");
        assert_eq!(p.name, "Complete User Protection");
        assert_eq!((p.delivery, p.xdr_addon), (Delivery::Suite, false));
        assert_eq!(p.components, ["A1", "SMEX", "IMSVA", "IWSVA"]);
        assert_eq!(p.key_prefix, "CU");
        let catalog = Catalog::seeded();
        assert!(p.components.iter().all(|c| catalog.get(c).is_some()));
    }

    #[test]
    fn delivery_codes_round_trip() {
        for d in [Delivery::Ac, Delivery::Saas, Delivery::Suite] {
            assert_eq!(d.as_str().parse::<Delivery>(), Ok(d));
            assert_eq!(d.as_str().to_uppercase().parse::<Delivery>(), Ok(d));
        }
        assert!("disk".parse::<Delivery>().is_err());
    }
}
