// The tables of migrations/sqlite (and, with the same names and types, of any other backend).

diesel::table! {
    campaigns (id) {
        id -> BigInt,
        slug -> Text,
        default_lang -> Text,
        goal -> BigInt,
        default_country -> Text,
        postal_code_required -> Bool,
        is_open -> Bool,
        closes_at -> Nullable<Timestamp>,
        embed_origins -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        paused_at -> Nullable<Timestamp>,
        paused_message -> Text,
        goal_multiplier -> Integer,
        refuse_throwaway -> Bool,
    }
}

diesel::table! {
    campaign_texts (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        lang -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        target -> Text,
        demand -> Text,
    }
}

diesel::table! {
    signatures (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        email_canonical -> Text,
        country -> Text,
        postal_code -> Nullable<Text>,
        email_opt_in -> Bool,
        comment -> Nullable<Text>,
        source -> Nullable<Text>,
        lang -> Text,
        consent_version -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        repeat_emails -> Integer,
        erased_at -> Nullable<Timestamp>,
        opted_out_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        channel -> Text,
        event_id -> Nullable<BigInt>,
        person_key -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
        email_domain -> Nullable<Text>,
        network_hash -> Nullable<Text>,
        flagged_at -> Nullable<Timestamp>,
        invalidation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        name -> Text,
        place -> Text,
        held_on -> Nullable<Date>,
        source -> Nullable<Text>,
        created_at -> Timestamp,
        created_by -> Text,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Text,
    }
}

diesel::table! {
    confirmation_tokens (id) {
        id -> BigInt,
        signature_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        signature_id -> BigInt,
        kind -> Text,
        link_nonce -> Nullable<Text>,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        update_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    campaign_updates (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        created_at -> Timestamp,
        created_by -> Text,
        sent_at -> Nullable<Timestamp>,
        sent_by -> Nullable<Text>,
        queued_through -> BigInt,
        queued_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        is_target_response -> Bool,
    }
}

diesel::table! {
    campaign_update_texts (id) {
        id -> BigInt,
        update_id -> BigInt,
        lang -> Text,
        subject -> Text,
        body -> Text,
    }
}

diesel::table! {
    staff (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        lang -> Nullable<Text>,
        role -> Text,
    }
}

diesel::table! {
    staff_campaigns (staff_id, campaign_id) {
        staff_id -> BigInt,
        campaign_id -> BigInt,
    }
}

diesel::table! {
    staff_sessions (id) {
        id -> BigInt,
        staff_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        account -> Text,
        client -> Text,
        device -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        source -> Nullable<Text>,
        role -> Text,
    }
}

diesel::table! {
    partners (id) {
        id -> BigInt,
        name -> Text,
        code -> Text,
        website -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        created_at -> Timestamp,
        actor -> Text,
        action -> Text,
        detail -> Text,
    }
}

diesel::table! {
    email_recanonicalisation_due (id) {
        id -> Integer,
    }
}

diesel::table! {
    kiosks (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        event_id -> BigInt,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        waiting -> Integer,
        reported_at -> Nullable<Timestamp>,
        refused -> BigInt,
        welcome_day -> Nullable<Date>,
        welcomes -> Integer,
    }
}

diesel::table! {
    kiosk_uploads (id) {
        id -> BigInt,
        kiosk_id -> BigInt,
        idempotency_key -> Text,
        outcome -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    network_salts (id) {
        id -> BigInt,
        day -> Date,
        salt -> Text,
    }
}

diesel::table! {
    invalidations (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        conditions -> Text,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        through_id -> BigInt,
        affected -> BigInt,
        finished_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Nullable<Text>,
    }
}

diesel::table! {
    not_me_reports (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        created_at -> Timestamp,
        email_domain -> Nullable<Text>,
        network_hash -> Nullable<Text>,
    }
}

diesel::table! {
    review_alerts (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        dimension -> Text,
        value -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(campaign_texts -> campaigns (campaign_id));
diesel::joinable!(signatures -> campaigns (campaign_id));
diesel::joinable!(confirmation_tokens -> signatures (signature_id));
diesel::joinable!(outbox -> signatures (signature_id));
diesel::joinable!(staff_sessions -> staff (staff_id));
diesel::joinable!(staff_campaigns -> staff (staff_id));
diesel::joinable!(staff_campaigns -> campaigns (campaign_id));
diesel::joinable!(campaign_updates -> campaigns (campaign_id));
diesel::joinable!(campaign_update_texts -> campaign_updates (update_id));
diesel::joinable!(outbox -> campaign_updates (update_id));
diesel::joinable!(events -> campaigns (campaign_id));
diesel::table! {
    organisation (id) {
        id -> BigInt,
        sender_name -> Text,
        reply_to -> Text,
        postal_address -> Text,
        data_controller -> Text,
        privacy_url -> Text,
        brand_colour -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    organisation_texts (id) {
        id -> BigInt,
        lang -> Text,
        name -> Text,
        short_name -> Text,
        privacy_notice -> Text,
    }
}

diesel::table! {
    partner_consents (id) {
        id -> BigInt,
        signature_id -> BigInt,
        partner_id -> BigInt,
        version -> Text,
        given_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    partner_links (id) {
        id -> BigInt,
        partner_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(signatures -> events (event_id));
diesel::joinable!(kiosks -> campaigns (campaign_id));
diesel::joinable!(kiosk_uploads -> kiosks (kiosk_id));
diesel::joinable!(partner_consents -> partners (partner_id));
diesel::joinable!(partner_consents -> signatures (signature_id));
diesel::joinable!(partner_links -> partners (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    campaigns,
    campaign_texts,
    signatures,
    confirmation_tokens,
    outbox,
    staff,
    staff_sessions,
    staff_campaigns,
    login_failures,
    api_tokens,
    audit_log,
    partners,
    campaign_updates,
    campaign_update_texts,
    events,
    kiosks,
    kiosk_uploads,
    network_salts,
    invalidations,
    not_me_reports,
    review_alerts,
    partner_consents,
    partner_links,
);
