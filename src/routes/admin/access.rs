//! Who may use each staff route. Routes are added through `StaffRoutes`, which asks for the
//! route's `Access` and puts a gate in front of its handler; the gate alone hands the
//! handler its `StaffSession` (or API token), so a route added any other way cannot serve
//! a signed-in member of staff at all.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, Handler, HttpMessage, HttpResponse, Responder, Route, guard, web};
use chrono::Utc;

use super::StaffError;
use super::auth::current_session;
use super::{admin_page, record_audit, staff_form_config};
use crate::db::api_tokens;
use crate::domain::{HashedToken, Permission, Role};
use crate::i18n::Tr;
use crate::routes::{AppState, negotiate_lang};

/// Who may use a staff route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the sign-in form.
    Open,
    /// Any signed-in member of staff, on their own session: signing out, their language.
    SignedIn,
    /// A member of staff whose role holds the permission, on a campaign they may see when
    /// the path names one.
    Staff(Permission),
    /// As `Staff`, or a script whose API token's role holds the permission.
    StaffOrToken(Permission),
}

/// One staff route, as the route table lists it.
#[derive(Debug, Clone)]
pub struct StaffRoute {
    pub method: Method,
    /// The whole path pattern, `/admin/campaigns/{slug}` say.
    pub path: String,
    pub access: Access,
}

/// A script holding an API token, as the gate let it through.
#[derive(Debug, Clone)]
pub struct TokenHolder {
    pub name: String,
    pub source: Option<String>,
    pub role: Role,
}

/// The staff routes being registered, and their table. Every route names its `Access`.
pub struct StaffRoutes {
    prefix: &'static str,
    scope: Option<actix_web::Scope>,
    table: Vec<StaffRoute>,
}

impl StaffRoutes {
    pub fn new(prefix: &'static str, scope: actix_web::Scope) -> StaffRoutes {
        StaffRoutes {
            prefix,
            scope: Some(scope),
            table: Vec::new(),
        }
    }

    pub fn get<F, Args>(self, path: &str, access: Access, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, access, None, web::get().to(handler))
    }

    pub fn post<F, Args>(self, path: &str, access: Access, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, access, None, web::post().to(handler))
    }

    /// A form larger than the usual staff form, up to `limit` bytes.
    pub fn post_large<F, Args>(self, path: &str, access: Access, limit: usize, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(
            Method::POST,
            path,
            access,
            Some(limit),
            web::post().to(handler),
        )
    }

    /// A POST route that the caller dresses first (with a throttle, say).
    pub fn post_route(self, path: &str, access: Access, route: Route) -> Self {
        self.add(Method::POST, path, access, None, route)
    }

    fn add(
        mut self,
        method: Method,
        path: &str,
        access: Access,
        form_limit: Option<usize>,
        route: Route,
    ) -> Self {
        self.table.push(StaffRoute {
            method: method.clone(),
            path: format!("{}{path}", self.prefix),
            access,
        });
        self.scope = self.scope.take().map(|scope| {
            let mut resource = web::resource(path).guard(guard::Method(method));
            if let Some(limit) = form_limit {
                resource = resource.app_data(staff_form_config(limit));
            }
            let gated = route.wrap(from_fn(move |req, next| gate(access, req, next)));
            scope.service(resource.route(gated))
        });
        self
    }

    pub fn into_scope(mut self) -> actix_web::Scope {
        self.scope.take().unwrap_or_else(|| web::scope(self.prefix))
    }

    pub fn into_table(self) -> Vec<StaffRoute> {
        self.table
    }
}

/// Lets the request through to its handler only if its access allows it, handing the
/// handler the session (or token) it checked.
async fn gate(
    access: Access,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let permission = match access {
        Access::Open => return next.call(req).await,
        Access::SignedIn => None,
        Access::Staff(permission) | Access::StaffOrToken(permission) => Some(permission),
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req.into_response(HttpResponse::ServiceUnavailable().finish()));
    };
    if let (Access::StaffOrToken(permission), Some(presented)) = (access, bearer(&req)) {
        return token_gate(&state, permission, presented, req, next).await;
    }
    let session = match current_session(&state, req.request()).await {
        Ok(Some(session)) => session,
        Ok(None) if matches!(access, Access::StaffOrToken(_)) => {
            // Most likely a member of staff whose session ended, following an export link.
            let message = Tr(negotiate_lang(req.request(), None)).t("admin-export-sign-in");
            return Ok(req.into_response(unauthorized(message)));
        }
        Ok(None) => return Err(StaffError::SignIn.into()),
        Err(error) => {
            let page = admin_page(req.request(), None);
            let cause = anyhow::Error::new(error).context("could not read a staff session");
            return Err(StaffError::unavailable(page, cause).into());
        }
    };
    let campaign = req.match_info().get("slug");
    if let Some(permission) = permission
        && !session.access.may(permission, campaign)
    {
        let detail = format!(
            "{} {} permission={permission:?} role={}",
            req.method(),
            req.path(),
            session.access.role().code()
        );
        record_audit(&state, &session.actor(), "access_refused", &detail).await;
        return Err(StaffError::Forbidden(session.page(), session.access.role()).into());
    }
    req.extensions_mut().insert(session);
    next.call(req).await
}

async fn token_gate(
    state: &AppState,
    permission: Permission,
    presented: String,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let hash = HashedToken::of(&presented);
    let now = Utc::now().naive_utc();
    let found = state
        .db
        .run(move |conn| api_tokens::authenticate(conn, &hash, now))
        .await
        .map_err(actix_web::error::ErrorServiceUnavailable)?;
    let Some(token) = found else {
        let message = "This API token is not valid or was revoked.".to_owned();
        return Ok(req.into_response(unauthorized(message)));
    };
    let role = token.role();
    if !role.may(permission) {
        let detail = format!("{} {} permission={permission:?}", req.method(), req.path());
        let actor = format!("token:{}", token.name);
        record_audit(state, &actor, "access_refused", &detail).await;
        let message = format!(
            "This API token's role ({}) may not do this. Ask an owner for a token with a role that may.",
            role.code()
        );
        let response = HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body(message);
        return Ok(req.into_response(response));
    }
    req.extensions_mut().insert(TokenHolder {
        name: token.name,
        source: token.source,
        role,
    });
    next.call(req).await
}

fn bearer(req: &ServiceRequest) -> Option<String> {
    req.headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned())
}

/// The answer to a script (or a link followed after the session ended) without valid
/// credentials: plain text, with the challenge that names the scheme to use.
pub fn unauthorized(message: String) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((WWW_AUTHENTICATE, "Bearer realm=\"mariposa\""))
        .content_type("text/plain; charset=utf-8")
        .body(message)
}
