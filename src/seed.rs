//! The demo campaign that a new installation shows, so there is something to sign at once,
//! and a made-up organisation running it, so the pages look as a real one's would.

use chrono::NaiveDateTime;

use crate::db::Connection;
use crate::db::{campaigns, organisation};
use crate::domain::{
    CampaignDraft, CampaignText, Country, Lang, Organisation, OrganisationText, Slug,
};

pub const DEMO_SLUG: &str = "butterflies-for-mexico";

const DEMO_TEXTS: [(Lang, &str); 4] = [
    (Lang::Es, include_str!("demo/es.txt")),
    (Lang::En, include_str!("demo/en.txt")),
    (Lang::Fr, include_str!("demo/fr.txt")),
    (Lang::Pt, include_str!("demo/pt.txt")),
];

/// Creates the demo campaign if the database has no campaign at all. Returns whether it did.
pub fn seed_demo_if_empty(conn: &mut Connection, now: NaiveDateTime) -> diesel::QueryResult<bool> {
    if campaigns::count(conn)? > 0 {
        return Ok(false);
    }
    if organisation::load(conn)? == Organisation::default() {
        organisation::save(conn, &demo_organisation(), now)?;
    }
    Ok(campaigns::insert(conn, &demo_campaign(), now)?.is_some())
}

/// A made-up Mexican human-rights organisation; its addresses are example ones.
fn demo_organisation() -> Organisation {
    let text = |lang, name: &str, short: &str, notice: &str| OrganisationText {
        lang,
        name: name.to_owned(),
        short_name: short.to_owned(),
        privacy_notice: notice.to_owned(),
    };
    Organisation {
        texts: vec![
            text(
                Lang::Es,
                "Red por la Memoria y la Justicia",
                "Memoria y Justicia",
                "Usamos tus datos solo para esta petición y, si lo pides, para escribirte sobre ella. Los guardamos hasta la entrega y un año después; puedes pedir que los borremos cuando quieras.",
            ),
            text(
                Lang::En,
                "Network for Memory and Justice",
                "Memory and Justice",
                "We use your details only for this petition and, if you ask us to, to write to you about it. We keep them until the delivery and a year after; you can ask us to erase them at any time.",
            ),
            text(
                Lang::Fr,
                "Réseau pour la mémoire et la justice",
                "Mémoire et justice",
                "Nous utilisons vos données uniquement pour cette pétition et, si vous le demandez, pour vous écrire à son sujet. Nous les gardons jusqu’à la remise et un an après ; vous pouvez demander leur effacement à tout moment.",
            ),
            text(
                Lang::Pt,
                "Rede pela Memória e pela Justiça",
                "Memória e Justiça",
                "Usamos seus dados apenas para esta petição e, se você pedir, para escrever sobre ela. Nós os guardamos até a entrega e por um ano depois; você pode pedir que os apaguemos quando quiser.",
            ),
        ],
        sender_name: String::new(),
        reply_to: "contacto@example.org".to_owned(),
        postal_address: "Calle de la Memoria 43, Col. Centro\n06000 Ciudad de México, CDMX\nMéxico"
            .to_owned(),
        data_controller: "Red por la Memoria y la Justicia, A.C.".to_owned(),
        privacy_url: "https://example.org/aviso-de-privacidad".to_owned(),
        brand_colour: "#1d4e89".to_owned(),
    }
}

fn demo_campaign() -> CampaignDraft {
    CampaignDraft {
        slug: Slug::parse(DEMO_SLUG).unwrap_or_else(|_| unreachable!("the demo slug is valid")),
        default_lang: Lang::Es,
        goal: 43_000,
        goal_multiplier: 1,
        default_country: Country::parse("MX").unwrap_or_else(|_| unreachable!("MX exists")),
        postal_code_required: false,
        is_open: true,
        closes_at: None,
        embed_origins: String::new(),
        texts: DEMO_TEXTS
            .iter()
            .map(|(lang, text)| parse_text(*lang, text))
            .collect(),
    }
}

/// A demo text file: the title on the first line, the summary on the second, the body after.
fn parse_text(lang: Lang, text: &str) -> CampaignText {
    let mut lines = text.splitn(3, '\n');
    CampaignText {
        lang,
        title: lines.next().unwrap_or_default().trim().to_owned(),
        summary: lines.next().unwrap_or_default().trim().to_owned(),
        body: lines.next().unwrap_or_default().trim().to_owned(),
        // The demo is an open letter to the President of Mexico.
        target: match lang {
            Lang::Es => "Presidencia de la República",
            Lang::En => "The President of Mexico",
            Lang::Fr => "La présidence du Mexique",
            Lang::Pt => "A Presidência do México",
        }
        .to_owned(),
        demand: match lang {
            Lang::Es => "Le pedimos que la Fiscalía Especial para el caso Ayotzinapa reciba los recursos y el personal que necesita, que se cumplan las órdenes de aprehensión pendientes y que el Ejército entregue todos sus archivos sobre la noche del 26 de septiembre de 2014.",
            Lang::En => "We ask that the Special Prosecutor for the Ayotzinapa case receive the resources and staff it needs, that the outstanding arrest warrants be carried out, and that the Army hand over all of its files on the night of 26 September 2014.",
            Lang::Fr => "Nous vous demandons que le parquet spécial pour l’affaire Ayotzinapa reçoive les moyens et le personnel dont il a besoin, que les mandats d’arrêt en suspens soient exécutés et que l’armée remette toutes ses archives sur la nuit du 26 septembre 2014.",
            Lang::Pt => "Pedimos que a Promotoria Especial para o caso Ayotzinapa receba os recursos e o pessoal de que precisa, que os mandados de prisão pendentes sejam cumpridos e que o Exército entregue todos os seus arquivos sobre a noite de 26 de setembro de 2014.",
        }
        .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_translation_has_a_title_summary_and_body() {
        let campaign = demo_campaign();
        assert_eq!(campaign.texts.len(), Lang::ALL.len());
        for text in &campaign.texts {
            assert!(!text.title.is_empty(), "{:?} has no title", text.lang);
            assert!(
                text.summary.len() > 80,
                "{:?} summary is too short",
                text.lang
            );
            assert!(text.body.split("\n\n").count() >= 4, "{:?} body", text.lang);
            assert!(text.body.contains("43") || text.summary.contains("43"));
        }
    }
}
