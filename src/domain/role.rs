//! Who may do what among staff: a role per account (and per API token), the permissions each
//! role holds, and the campaigns an account may be limited to. The server checks these on
//! every staff route; pages use them to show only what the reader may do.

/// What a member of staff (or a script holding a token) is trusted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including staff accounts, organisation settings, the audit log and erasure.
    Owner,
    /// Runs campaigns: texts, updates, exports, delivery packs, review, kiosks and paper.
    Campaigner,
    /// Types paper sheets and sets up kiosks for the campaigns it is given; sees no signer
    /// it did not type.
    DataEntry,
    /// Counts, charts and the confirmation rate; no personal data at all.
    Viewer,
}

/// One thing a staff route does. Every staff route names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// The list of campaigns, the landing page of every role.
    ListCampaigns,
    /// A campaign's dashboard: counts, charts, the confirmation rate; counts as CSV.
    ViewCounts,
    /// Starting a new campaign; it belongs to no list of named campaigns yet.
    CreateCampaigns,
    /// A campaign's texts, opening, closing, pausing, and reminding its signers.
    ManageCampaigns,
    /// Writing and sending updates to a campaign's signers.
    SendUpdates,
    /// The review of suspicious waves, with samples of signers.
    Review,
    /// Signatures as CSV, with names and emails.
    ExportSignatures,
    /// The delivery pack and its manifest, which name every signer.
    DeliveryPacks,
    /// Printing sheets and typing or importing paper batches.
    EnterPaper,
    /// Kiosk links for tablets at events.
    Kiosks,
    /// The partners whose sources signatures carry.
    ManagePartners,
    /// API tokens for scheduled exports.
    ManageTokens,
    /// Staff accounts and their roles.
    ManageStaff,
    /// The organisation's name, sender, address and privacy notice.
    OrganisationSettings,
    /// The audit log.
    AuditLog,
    /// Erasing a signer's personal data.
    Erase,
}

impl Permission {
    pub const ALL: [Permission; 16] = [
        Permission::ListCampaigns,
        Permission::ViewCounts,
        Permission::CreateCampaigns,
        Permission::ManageCampaigns,
        Permission::SendUpdates,
        Permission::Review,
        Permission::ExportSignatures,
        Permission::DeliveryPacks,
        Permission::EnterPaper,
        Permission::Kiosks,
        Permission::ManagePartners,
        Permission::ManageTokens,
        Permission::ManageStaff,
        Permission::OrganisationSettings,
        Permission::AuditLog,
        Permission::Erase,
    ];

    /// Reaches beyond any one campaign, so an account limited to named campaigns may not
    /// use it even when its role holds it: a token it made would export every campaign.
    fn is_organisation_wide(self) -> bool {
        matches!(
            self,
            Permission::CreateCampaigns | Permission::ManagePartners | Permission::ManageTokens
        )
    }
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Campaigner, Role::DataEntry, Role::Viewer];

    /// The word stored in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Campaigner => "campaigner",
            Role::DataEntry => "data_entry",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == code.trim().replace('-', "_"))
    }

    pub fn may(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Owner => true,
            Role::Campaigner => !matches!(
                permission,
                P::ManageStaff | P::OrganisationSettings | P::AuditLog | P::Erase
            ),
            Role::DataEntry => matches!(permission, P::ListCampaigns | P::EnterPaper | P::Kiosks),
            Role::Viewer => matches!(permission, P::ListCampaigns | P::ViewCounts),
        }
    }

    /// Sees only the paper batches it typed itself, as it may see no signer it did not type.
    pub fn sees_only_own_entries(self) -> bool {
        self == Role::DataEntry
    }

    /// Holds every permission `other` holds: what a token made by this role may be.
    pub fn includes(self, other: Role) -> bool {
        Permission::ALL
            .into_iter()
            .all(|permission| !other.may(permission) || self.may(permission))
    }

    /// Whether the role may be limited to named campaigns, and whether it must be.
    fn campaigns_rule(self) -> CampaignsRule {
        match self {
            Role::Owner | Role::Viewer => CampaignsRule::None,
            Role::Campaigner => CampaignsRule::Optional,
            Role::DataEntry => CampaignsRule::Required,
        }
    }
}

enum CampaignsRule {
    None,
    Optional,
    Required,
}

/// A role with the campaigns it is limited to; an empty list is every campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccess {
    role: Role,
    campaigns: Vec<String>,
}

/// Why a role and a list of campaigns do not go together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessError {
    /// Data entry must name the campaigns it types for.
    CampaignsRequired,
    /// Owners and viewers see every campaign.
    CampaignsNotAllowed,
}

impl StaffAccess {
    /// `campaigns` are slugs; repeats are dropped.
    pub fn new(role: Role, mut campaigns: Vec<String>) -> Result<StaffAccess, AccessError> {
        campaigns.sort();
        campaigns.dedup();
        match (role.campaigns_rule(), campaigns.is_empty()) {
            (CampaignsRule::Required, true) => Err(AccessError::CampaignsRequired),
            (CampaignsRule::None, false) => Err(AccessError::CampaignsNotAllowed),
            _ => Ok(StaffAccess { role, campaigns }),
        }
    }

    /// An access as stored, trusted as it is: refusing it would lock its holder out.
    pub fn stored(role: Role, campaigns: Vec<String>) -> StaffAccess {
        StaffAccess { role, campaigns }
    }

    pub fn owner() -> StaffAccess {
        StaffAccess::stored(Role::Owner, Vec::new())
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The slugs of the campaigns it is limited to; empty for every campaign.
    pub fn campaigns(&self) -> &[String] {
        &self.campaigns
    }

    pub fn sees_campaign(&self, slug: &str) -> bool {
        self.campaigns.is_empty() || self.campaigns.iter().any(|named| named == slug)
    }

    /// Whether it may do `permission`, on the campaign `campaign` when the route names one.
    pub fn may(&self, permission: Permission, campaign: Option<&str>) -> bool {
        let limited = !self.campaigns.is_empty();
        self.role.may(permission)
            && !(limited && permission.is_organisation_wide())
            && campaign.is_none_or(|slug| self.sees_campaign(slug))
    }

    /// Whether it may make an API token with `role`: a token sees every campaign, so only an
    /// account that does too, and never more than the account itself may do.
    pub fn may_grant(&self, role: Role) -> bool {
        self.may(Permission::ManageTokens, None) && self.role.includes(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(role: Role, campaigns: &[&str]) -> StaffAccess {
        StaffAccess::new(role, campaigns.iter().map(|s| (*s).to_owned()).collect())
            .expect("a valid access")
    }

    #[test]
    fn a_viewer_sees_counts_and_nothing_personal() {
        let viewer = access(Role::Viewer, &[]);
        assert!(viewer.may(Permission::ViewCounts, Some("ayotzinapa")));
        for personal in [
            Permission::ExportSignatures,
            Permission::DeliveryPacks,
            Permission::EnterPaper,
            Permission::Review,
            Permission::Erase,
        ] {
            assert!(!viewer.may(personal, Some("ayotzinapa")), "{personal:?}");
        }
    }

    #[test]
    fn data_entry_types_paper_for_its_campaigns_only() {
        let volunteer = access(Role::DataEntry, &["ayotzinapa"]);
        assert!(volunteer.may(Permission::EnterPaper, Some("ayotzinapa")));
        assert!(volunteer.may(Permission::Kiosks, Some("ayotzinapa")));
        assert!(!volunteer.may(Permission::EnterPaper, Some("agua")));
        assert!(!volunteer.may(Permission::ExportSignatures, Some("ayotzinapa")));
        assert!(!volunteer.may(Permission::ViewCounts, Some("ayotzinapa")));
    }

    #[test]
    fn data_entry_must_name_campaigns_and_owners_may_not() {
        assert_eq!(
            StaffAccess::new(Role::DataEntry, Vec::new()),
            Err(AccessError::CampaignsRequired)
        );
        assert_eq!(
            StaffAccess::new(Role::Owner, vec!["agua".into()]),
            Err(AccessError::CampaignsNotAllowed)
        );
    }

    #[test]
    fn a_campaigner_limited_to_campaigns_cannot_make_tokens_that_see_all() {
        let limited = access(Role::Campaigner, &["agua"]);
        assert!(limited.may(Permission::ExportSignatures, Some("agua")));
        assert!(!limited.may(Permission::ManageTokens, None));
        assert!(!limited.may_grant(Role::Viewer));
        let everywhere = access(Role::Campaigner, &[]);
        assert!(everywhere.may_grant(Role::Viewer));
        assert!(everywhere.may_grant(Role::Campaigner));
        assert!(!everywhere.may_grant(Role::Owner));
    }

    #[test]
    fn only_owners_manage_staff_settings_audit_and_erasure() {
        for permission in [
            Permission::ManageStaff,
            Permission::OrganisationSettings,
            Permission::AuditLog,
            Permission::Erase,
        ] {
            let holders: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| r.may(permission))
                .collect();
            assert_eq!(holders, [Role::Owner], "{permission:?}");
        }
    }

    #[test]
    fn roles_read_back_from_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("data-entry"), Some(Role::DataEntry));
        assert_eq!(Role::parse("admin"), None);
    }
}
