//! The service's endpoint rules as the client's endpoint resolver: the client's settings become the
//! rules' built-ins (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`,
//! `AWS::Auth::AccountId`, `AWS::Auth::AccountIdEndpointMode`), the configuration's and the call's
//! own parameters go in by name, and the endpoint the rules give (URL, headers, and the `sigv4`
//! entry of `authSchemes` for the signing region and name) becomes a [`ResolvedEndpoint`].
//!
//! Built-ins the client does not have (such as S3's) are left unset, so their parameters take the
//! rule set's defaults; the generator warns about rule sets that have any.

use super::endpoint::{built_in, EmbeddedRules, ParamValue, Params};
use super::endpoint_config::{EndpointSettings, EndpointValue, ResolveEndpoint, ResolvedEndpoint};

/// A rule set and partition table embedded in the crate, as a [`ResolveEndpoint`].
#[derive(Debug)]
pub struct RulesEndpoints {
    rules: EmbeddedRules,
}

impl RulesEndpoints {
    /// Rules and partitions from their JSON text (the crate's `include_str!` of its data files).
    pub const fn new(rules_json: &'static str, partitions_json: &'static str) -> Self {
        RulesEndpoints { rules: EmbeddedRules::new(rules_json, partitions_json) }
    }

    /// The embedded rules and partition table.
    pub fn rules(&self) -> &EmbeddedRules {
        &self.rules
    }

    /// The rules' parameters for these settings, account and call values.
    pub fn params(
        &self,
        settings: &EndpointSettings,
        account_id: Option<&str>,
        call: &[(&'static str, EndpointValue)],
    ) -> Params {
        let mut params = Params::new();
        params
            .set_built_in(built_in::REGION, settings.region.as_str())
            .set_built_in(built_in::USE_FIPS, settings.use_fips)
            .set_built_in(built_in::USE_DUAL_STACK, settings.use_dual_stack)
            .set_built_in(built_in::ACCOUNT_ID_ENDPOINT_MODE, settings.account_id_endpoint_mode.as_str());
        if let Some(url) = &settings.endpoint_url {
            params.set_built_in(built_in::ENDPOINT, url.as_str());
        }
        if let Some(account_id) = account_id {
            params.set_built_in(built_in::ACCOUNT_ID, account_id);
        }
        for (name, value) in &settings.params {
            params.set(name.as_str(), param_value(value));
        }
        for (name, value) in call {
            params.set(*name, param_value(value));
        }
        params
    }
}

fn param_value(value: &EndpointValue) -> ParamValue {
    match value {
        EndpointValue::String(s) => ParamValue::String(s.clone()),
        EndpointValue::StringArray(items) => ParamValue::StringArray(items.clone()),
        EndpointValue::Bool(b) => ParamValue::Bool(*b),
    }
}

impl ResolveEndpoint for RulesEndpoints {
    fn uses_account_id(&self) -> bool {
        self.rules.get().is_ok_and(|(rules, _)| {
            rules.parameters().iter().any(|p| p.built_in.as_deref() == Some(built_in::ACCOUNT_ID))
        })
    }

    fn resolve(
        &self,
        settings: &EndpointSettings,
        account_id: Option<&str>,
        call: &[(&'static str, EndpointValue)],
    ) -> Result<ResolvedEndpoint, String> {
        let endpoint = self.rules.resolve(&self.params(settings, account_id, call)).map_err(|e| e.to_string())?;
        let mut resolved = ResolvedEndpoint::new(endpoint.url())?;
        match endpoint.sigv4_scheme() {
            Some(scheme) => resolved = resolved.with_signing(scheme.signing_region, scheme.signing_name),
            // An endpoint that names its auth schemes and not SigV4 would reject a SigV4 signature:
            // refuse it now rather than send a request signed for the wrong scheme or region.
            None => {
                if let Some(names) = endpoint.auth_scheme_names().filter(|names| !names.is_empty()) {
                    return Err(format!(
                        "the endpoint {} accepts only the auth schemes {}, and this client signs with SigV4 (`sigv4`)",
                        endpoint.url(),
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        for (name, values) in endpoint.headers() {
            for value in values {
                resolved = resolved.with_header(name, value)?;
            }
        }
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::super::endpoint_config::{AccountIdEndpointMode, EndpointConfig};
    use super::*;

    const PARTITIONS: &str = r#"{"partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                     "supportsFIPS": true, "supportsDualStack": true}}]}"#;

    /// Every built-in the client sets, each visible in the URL or its properties.
    const RULES: &str = r#"{"version": "1.0",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region"},
            "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "UseDualStack": {"type": "boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
            "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"},
            "AccountId": {"type": "string", "builtIn": "AWS::Auth::AccountId"},
            "Mode": {"type": "string", "builtIn": "AWS::Auth::AccountIdEndpointMode"},
            "Table": {"type": "string"},
            "Tables": {"type": "stringArray"},
            "Flag": {"type": "boolean"}
        },
        "rules": [
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                                             {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
             "error": "Invalid Configuration: FIPS and custom endpoint are not supported"},
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}, "headers": {"x-custom": ["yes"]}}},
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "AccountId"}]},
                                                {"fn": "stringEquals", "argv": [{"ref": "Mode"}, "preferred"]},
                                                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
             "endpoint": {"url": "https://{AccountId}.svc.{Region}.{p#dnsSuffix}"}},
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Table"}]}, {"fn": "isSet", "argv": [{"ref": "Tables"}]},
                                                {"fn": "getAttr", "argv": [{"ref": "Tables"}, "[0]"], "assign": "first"},
                                                {"fn": "isSet", "argv": [{"ref": "Flag"}]},
                                                {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
             "endpoint": {"url": "https://{Table}.{first}.example.com"}},
            {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                                                {"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]},
                                                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
             "endpoint": {"url": "https://svc-fips.{Region}.{p#dualStackDnsSuffix}",
                          "properties": {"authSchemes": [{"name": "sigv4", "signingName": "svc-signing", "signingRegion": "us-gov-west-1"}]}}},
            {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
             "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}}
        ]}"#;

    static ENDPOINTS: RulesEndpoints = RulesEndpoints::new(RULES, PARTITIONS);

    fn settings(config: EndpointConfig) -> EndpointSettings {
        config.resolve("us-west-2".into(), None, "SVC").unwrap()
    }

    fn url(settings: &EndpointSettings, account: Option<&str>, call: &[(&'static str, EndpointValue)]) -> String {
        match ENDPOINTS.resolve(settings, account, call) {
            Ok(endpoint) => endpoint.uri().to_string(),
            Err(e) => e,
        }
    }

    #[test]
    fn settings_reach_the_rules_as_built_ins() {
        let plain = settings(EndpointConfig::default());
        assert_eq!(url(&plain, None, &[]), "https://svc.us-west-2.amazonaws.com/");
        let fips =
            settings(EndpointConfig { use_fips: Some(true), use_dual_stack: Some(true), ..EndpointConfig::default() });
        let endpoint = ENDPOINTS.resolve(&fips, None, &[]).unwrap();
        assert_eq!(endpoint.uri(), "https://svc-fips.us-west-2.api.aws/");
        assert_eq!(
            (endpoint.signing_region(), endpoint.signing_name()),
            (Some("us-gov-west-1"), Some("svc-signing")),
            "from the sigv4 auth scheme"
        );
        let custom = settings(EndpointConfig { url: Some("http://localhost:9/x".into()), ..EndpointConfig::default() });
        let endpoint = ENDPOINTS.resolve(&custom, None, &[]).unwrap();
        assert_eq!(endpoint.uri(), "http://localhost:9/x/");
        assert_eq!(endpoint.headers().len(), 1);
        assert_eq!((endpoint.headers()[0].0.as_str(), endpoint.headers()[0].1.to_str().unwrap()), ("x-custom", "yes"));
        let both = EndpointSettings { use_fips: true, ..custom };
        assert_eq!(url(&both, None, &[]), "Invalid Configuration: FIPS and custom endpoint are not supported");
    }

    #[test]
    fn an_endpoint_without_a_sigv4_auth_scheme_is_refused() {
        let rules = |schemes: &str| {
            format!(
                r#"{{"parameters": {{"Region": {{"type": "string", "builtIn": "AWS::Region"}}}},
                    "rules": [{{"type": "endpoint", "conditions": [],
                                "endpoint": {{"url": "https://svc.example.com", "properties": {{"authSchemes": {schemes}}}}}}}]}}"#
            )
        };
        let resolve = |json: String| {
            let endpoints = RulesEndpoints::new(Box::leak(json.into_boxed_str()), PARTITIONS);
            endpoints.resolve(&settings(EndpointConfig::default()), None, &[])
        };
        let error = resolve(rules(r#"[{"name": "sigv4a", "signingRegionSet": ["*"]}]"#)).unwrap_err();
        assert!(error.contains("`sigv4a`") && error.contains("https://svc.example.com"), "{error}");
        let both = resolve(rules(
            r#"[{"name": "sigv4a", "signingRegionSet": ["*"]}, {"name": "sigv4", "signingRegion": "us-east-1"}]"#,
        ))
        .unwrap();
        assert_eq!(both.signing_region(), Some("us-east-1"), "SigV4 is taken when the endpoint offers it");
    }

    #[test]
    fn the_account_and_the_call_values_reach_the_rules() {
        assert!(ENDPOINTS.uses_account_id());
        let preferred = settings(EndpointConfig::default());
        assert_eq!(url(&preferred, Some("123456789012"), &[]), "https://123456789012.svc.us-west-2.amazonaws.com/");
        let disabled = settings(EndpointConfig {
            account_id_endpoint_mode: Some(AccountIdEndpointMode::Disabled),
            ..EndpointConfig::default()
        });
        assert_eq!(url(&disabled, Some("123456789012"), &[]), "https://svc.us-west-2.amazonaws.com/");

        let call = [("Table", EndpointValue::from("t1")), ("Tables", EndpointValue::from(vec!["t2".to_string()]))];
        assert_eq!(url(&preferred, None, &call), "https://svc.us-west-2.amazonaws.com/", "Flag is not set");
        let flagged = settings(EndpointConfig {
            params: vec![("Flag".into(), EndpointValue::Bool(true))],
            ..EndpointConfig::default()
        });
        assert_eq!(url(&flagged, None, &call), "https://t1.t2.example.com/");
        let unknown = settings(EndpointConfig {
            params: vec![("Nope".into(), EndpointValue::Bool(true))],
            ..EndpointConfig::default()
        });
        assert_eq!(url(&unknown, None, &[]), "the endpoint rules have no parameter `Nope`");
    }
}
