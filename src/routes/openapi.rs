//! The public API's routes and their description. `openapi.json` is written by hand, and
//! the routes are registered from the table below, which a test holds the document to: an
//! API route cannot be added, or dropped, without the document saying so.

use actix_web::http::Method;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::middleware::from_fn;
use actix_web::{Handler, HttpResponse, Responder, Route, web};

use super::api::{self, public};
use super::{history, limits};

/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`.
const DOCUMENT: &str = include_str!("openapi.json");

/// One method of one API path: the route is given its method only when registered, so
/// that the table says which method each route answers.
struct ApiRoute {
    path: &'static str,
    method: Method,
    route: Route,
}

fn api<F, Args>(path: &'static str, method: Method, handler: F) -> ApiRoute
where
    F: Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: Responder + 'static,
{
    ApiRoute {
        path,
        route: web::route().to(handler),
        method,
    }
}

/// Every route of the public API. A path with several methods is one resource, so that a
/// method it lacks is answered 405, not passed on.
fn api_routes() -> Vec<ApiRoute> {
    let signing = || from_fn(limits::signing);
    vec![
        api("/api/v1/openapi.json", Method::GET, document),
        api("/api/v1/campaigns/{slug}", Method::GET, api::show),
        api(
            "/api/v1/campaigns/{slug}/history",
            Method::GET,
            history::json,
        ),
        api(
            "/api/v1/campaigns/{slug}/history.csv",
            Method::GET,
            history::csv,
        ),
        ApiRoute {
            path: "/api/v1/campaigns/{slug}/signatures",
            method: Method::POST,
            route: web::route().to(api::sign).wrap(signing()),
        },
        api(
            "/api/v1/campaigns/{slug}/signatures",
            Method::OPTIONS,
            api::preflight,
        ),
    ]
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut resources: Vec<(&'static str, actix_web::Resource)> = Vec::new();
    for ApiRoute {
        path,
        method,
        route,
    } in api_routes()
    {
        let route = route.method(method);
        match resources.iter_mut().find(|(known, _)| *known == path) {
            Some((_, resource)) => {
                let taken = std::mem::replace(resource, web::resource(path));
                *resource = taken.route(route);
            }
            None => resources.push((
                path,
                web::resource(path)
                    .app_data(api::json_config())
                    .route(route),
            )),
        }
    }
    for (_, resource) in resources {
        cfg.service(resource);
    }
}

async fn document() -> HttpResponse {
    public(
        HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((CACHE_CONTROL, "public, max-age=3600"))
            .body(DOCUMENT),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_document_describes_exactly_the_routes_registered() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).expect("valid JSON");
        assert_eq!(document["openapi"], "3.1.0");
        let paths = document["paths"].as_object().expect("paths");
        let described: BTreeSet<(String, String)> = paths
            .iter()
            .flat_map(|(path, item)| {
                let methods = item.as_object().expect("a path item");
                methods
                    .keys()
                    .filter(|key| *key != "parameters")
                    .map(|method| (path.clone(), method.to_uppercase()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let registered: BTreeSet<(String, String)> = api_routes()
            .into_iter()
            .map(|route| (route.path.to_owned(), route.method.as_str().to_owned()))
            .collect();
        assert_eq!(described, registered);
    }
}
