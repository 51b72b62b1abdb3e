namespace TargetProfileUpdate;

/// <summary>
/// Well-known values of a Privacy Service job's <c>regulation</c>. Adobe adds and renames values (US state laws carry the
/// state since 2025, for example <c>ucpa_ut_usa</c>): the SDK passes any string through, so a new value needs no SDK update.
/// </summary>
public static class PrivacyRegulation
{
    /// <summary>The EU General Data Protection Regulation: <c>gdpr</c>.</summary>
    public const string Gdpr = "gdpr";

    /// <summary>The California Consumer Privacy Act: <c>ccpa</c>.</summary>
    public const string Ccpa = "ccpa";

    /// <summary>The California Privacy Rights Act: <c>cpra_ca_usa</c>.</summary>
    public const string CpraCalifornia = "cpra_ca_usa";

    /// <summary>Brazil's Lei Geral de Proteção de Dados: <c>lgpd_bra</c>.</summary>
    public const string LgpdBrazil = "lgpd_bra";

    /// <summary>New Zealand's Privacy Act: <c>nzpa_nzl</c>.</summary>
    public const string NzpaNewZealand = "nzpa_nzl";

    /// <summary>Thailand's Personal Data Protection Act: <c>pdpa_tha</c>.</summary>
    public const string PdpaThailand = "pdpa_tha";

    /// <summary>Australia's Privacy Act: <c>apa_aus</c>.</summary>
    public const string ApaAustralia = "apa_aus";

    /// <summary>Quebec's Law 25: <c>ql25_qc_can</c>.</summary>
    public const string Ql25Quebec = "ql25_qc_can";

    /// <summary>The Virginia Consumer Data Protection Act: <c>vcdpa_va_usa</c>.</summary>
    public const string VcdpaVirginia = "vcdpa_va_usa";

    /// <summary>The Colorado Privacy Act: <c>cpa_co_usa</c>.</summary>
    public const string CpaColorado = "cpa_co_usa";

    /// <summary>The Connecticut Data Privacy Act: <c>ctdpa_ct_usa</c>.</summary>
    public const string CtdpaConnecticut = "ctdpa_ct_usa";

    /// <summary>The Utah Consumer Privacy Act: <c>ucpa_ut_usa</c>.</summary>
    public const string UcpaUtah = "ucpa_ut_usa";

    /// <summary>The Texas Data Privacy and Security Act: <c>tdpsa_tx_usa</c>.</summary>
    public const string TdpsaTexas = "tdpsa_tx_usa";

    /// <summary>The Oregon Consumer Privacy Act: <c>ocpa_or_usa</c>.</summary>
    public const string OcpaOregon = "ocpa_or_usa";
}
