I = "§ INTRODUCTION"
D = "§ DEFINITIONS"
P = "§ PACKAGES DETAIL"
AO = "§ ADD ONS"
A = "§ ANNEX A"
B = "§ ANNEX B"
C = "§ ANNEX C"
SPEC = dict(
    provider="Qiscus", seed="003", seedfile="003_ed4b4ef905881936.txt", contract="qiscus",
    intro="Enterprise support packages Basic, Premium, 8x7 Dedicated and 24x7 Dedicated, a Resolution add-on, four priorities, response and resolution targets in business time (09:00-17:00 GMT+7), escalation contacts, 99% monthly uptime of the Chat Service and its exclusions. Annexes A, B and C repeat the same procedure, priorities, response table, uptime and exclusions; a row citing Annex A stands for all three unless the row says otherwise.",
    rows=[
        ("Title **Enterprise support SLA**", '§ title — "Enterprise support SLA"', "title \"Enterprise support SLA\"", "prose"),
        ("The document outlines the **Enterprise Support Packages** and is the reference for response times, uptime and contacts", f'{I} — "This document outlines the Qiscus Enterprise Support Packages"', "scope \"This document outlines", "prose"),
        ("Terms reviewed **annual**ly or on substantial updates", f'{I} — "Terms and conditions within this document are reviewed on an annual basis"', "policy \"Terms and conditions", "prose"),
        ("Clients informed of updates at least **2 days** in advance", '§ packages footnote — "Clients shall be informed at least 2 days in advance"', "notice 2 days", "computable"),
        ("Definition of **SLA**", f'{D} — "SLA: Service Level Agreement"', "definition \"SLA\"", "prose"),
        ("Definition of **Client**", f'{D} — "Client: Refers to the organization or individual"', "definition \"Client\"", "prose"),
        ("Definition of **Response Time**", f'{D} — "Response Time: The time taken to acknowledge a reported issue"', "definition \"Response Time\"", "prose"),
        ("Definition of **Resolution Time**", f'{D} — "Resolution Time: The duration required to resolve a reported issue"', "definition \"Resolution Time\"", "prose"),
        ("Definition of **Uptime**, calculated **monthly**, monitored on **status.qiscus.com**", f'{D} — "The total duration will be calculated monthly"', "definition \"Uptime\"", "prose"),
        ("Basic: best-effort response within **2 business days** of ticket creation", f'{P} — "Best-effort response within two business days for all technical issues"', "respond 2 business days best-effort", "computable"),
        ("Basic: assistance only through **documentation** and the **ticketing** system", f'{P} — "Troubleshooting and installation assistance available exclusively through documentation and the ticketing system"', "feature \"Troubleshooting", "prose"),
        ("Basic: **status.qiscus.com** updates and incident reporting", f'{P} — "Access to real-time updates and incident reporting at status.qiscus.com"', ["feature \"Access to real-time", "channel \"Status page\""], "prose"),
        ("Basic: target **99%** uptime, **best-effort**", f'{P} — "Target 99% uptime on a best-effort basis"', "policy \"Under the Basic package", "prose"),
        ("Basic: periodic minor updates and routine **maintenance**", f'{P} — "Periodic minor updates and routine maintenance"', "feature \"Periodic", "prose"),
        ("Basic: **Helpdesk** at **support.qiscus.com**", f'{P} — "Issue reporting and escalation through our Helpdesk Service at support.qiscus.com"', ["feature \"Issue reporting", "channel Helpdesk"], "prose"),
        ("Basic: operating hours weekdays **09:00-17:00** **GMT+7**", f'{P} — "Support available during weekdays from 09:00 to 17:00 (GMT+7)"', ["hours office", "calendar office"], "computable"),
        ("Basic is included in the **SMB package**", f'{P} — "INC SMB PACKAGE"', "price included \"SMB package\"", "prose"),
        ("Premium includes all **Basic** features", f'{P} — "All Basic Package Features Included"', "plan Premium includes Basic", "computable"),
        ("Premium: dedicated **account manager**", f'{P} — "A dedicated account manager will be assigned"', "feature \"A dedicated account manager", "prose"),
        ("Premium: close assistance during **onboarding** and integration", f'{P} — "Close technical assistance provided during the onboarding and integration phases"', "feature \"Close technical", "prose"),
        ("Premium: SLA by priority (**Annex A**)", f'{P} — "full details in Annex A"', "feature \"Comprehensive SLA", "prose"),
        ("Premium is included in the **Enterprise package**", f'{P} — "INC ENTERPRISE PACKAGE"', "price included \"Enterprise package\"", "prose"),
        ("8x7 Dedicated includes all **Premium** features", f'{P} — "Includes all the benefits of the Premium Support Package"', "plan \"8x7 Dedicated\" includes Premium", "computable"),
        ("8x7: **daily** **09:00-17:00** GMT+7, including weekends", f'{P} — "Operating hours: 09:00 to 17:00 (GMT+7), Monday through Sunday"', ["hours everyday", "calendar everyday"], "computable"),
        ("8x7: **8 hours per day, 7 days a week**", f'{P} — "Support available 8 hours per day, 7 days a week, including weekends"', "feature \"Support available 8 hours", "prose"),
        ("8x7: SLA in **Annex B**", f'{P} — "Service Level Agreement details are provided in Annex B"', "feature \"Customized SLA annex (Annex B)", "prose"),
        ("8x7 price **IDR 216,000,000** (add-on)", f'{P} — "ADD ON IDR 216mil"', "price addon IDR 216,000,000", "computable"),
        ("24x7 Dedicated includes all **Premium** features", f'{P} — "Retains all the features and advantages of the Premium Support Package"', "plan \"24x7 Dedicated\" includes Premium", "computable"),
        ("24x7: support around the clock incl. weekends and **public holidays**", f'{P} — "Support available 24 hours a day, 7 days a week, including weekends and public holidays"', "feature \"Support available 24 hours", "prose"),
        ("24x7: hours **24x7**", f'{P} — "No operational hour limitations"', ["hours always", "calendar always"], "computable"),
        ("24x7: SLA in **Annex C**", f'{P} — "Service Level Agreement details are provided in Annex C"', "feature \"Customized SLA annex (Annex C)", "prose"),
        ("24x7 price **IDR 420,000,000** (add-on)", f'{P} — "ADD ON IDR 420mil"', "price addon IDR 420,000,000", "computable"),
        ("Resolution add-on price **IDR 100,000,000**", f'{AO} — "ADD ON IDR 100mil"', "price IDR 100,000,000", "computable"),
        ("Resolution: Low resolved within **30 business days** (**720h**)", f'{AO} — "Low Priority: Resolved within 720 hours (30 business days)"', "priority Low resolve", "computable"),
        ("Resolution: Normal resolved within **13 business days** (**312h**)", f'{AO} — "Normal Priority: Resolved within 312 hours (13 business days)"', "priority Normal resolve", "computable"),
        ("Resolution: High resolved within **3 business days** (**72h**)", f'{AO} — "High Priority: Resolved within 72 hours (3 business days)"', "priority High resolve", "computable"),
        ("Resolution: Critical resolved within **8h**", f'{AO} — "Critical Priority: Resolved within 8 hours"', "priority Critical resolve 8h", "computable"),
        ("Resolution: issues resolved within **defined timeframes** (Annex D)", f'{AO} — "Ensures that technical issues are not only addressed promptly but resolved within defined timeframes"', "feature \"Ensures", "prose"),
        ("Procedure: **report collection**; the client provides complete details and screenshots", f'{A} — "Report Collection: Qiscus will work with Client to gather the details"', "note \"Report collection", "prose"),
        ("Procedure: **internal analysis**, solution and commercial terms confirmed with the client", f'{A} — "Internal Analysis: Qiscus will analyze and conduct internal analysis"', "note \"Internal analysis", "prose"),
        ("Procedure: **fix and solve** after the client accepts; status updated", f'{A} — "Fix & Solve: Upon confirmation of acceptance from Client"', "note \"Fix and solve", "prose"),
        ("Four priority levels: **Critical**, **High**, **Normal**, **Low**", f'{A} — "We have four distinct priority levels"', "priorities {", "computable"),
        ("Critical: **production system down**, mission-critical function unavailable", f'{A} — "CriticalProduction system down, mission-critical function not available"', "Critical: \"Production system down", "prose"),
        ("Critical (Annexes B, C wording): **production system outage** or critical function failure", f'{B} — "Production system outage or critical function failure"', "note \"Annexes B and C", "prose"),
        ("High: **significant functionality loss** affecting many users", f'{A} — "HighSignificant functionality loss affecting many users"', "High: \"Significant", "prose"),
        ("Normal: **moderate loss** of functionality, workaround available", f'{A} — "NormalModerate loss of functionality impacting multiple users"', "Normal: \"Moderate", "prose"),
        ("Low: **questions or minor issues**, no immediate impact", f'{A} — "LowQuestions or minor issues with no immediate business impact"', "Low: \"Questions", "prose"),
        ("Response: **Critical** within **1h**", f'{A} — "CriticalWithin 1 hour"', "priority Critical respond 1h", "computable"),
        ("Response: **High** within **2h**", f'{A} — "HighWithin 2 hours"', "priority High respond 2h", "computable"),
        ("Response: **Normal** within **4h**", f'{A} — "NormalWithin 4 hours"', "priority Normal respond 4h", "computable"),
        ("Response: **Low** within **1 business day**", f'{A} — "LowWithin 1 business day"', "priority Low respond 1 business day", "computable"),
        ("Critical resolution at most **8h** (all packages from Premium up)", f'{A} — "Maximum 8 hours resolution time for Critical Issues"', "priority Critical respond 1h resolve 8h", "computable"),
        ("Operating hours **09:00-17:00** GMT+7 on weekdays; weekends and **holidays** are non-operating", f'{A} — "Non-Operating Hours : Weekends, Public Holidays"', "calendar office", "computable"),
        ("Issues raised outside hours get a response on the **next day** (reading `after_hours`)", f'{A} — "Otherwise, a response will be given on the next day"', "reading after_hours", "computable"),
        ("Premium escalation: **0h..6h** **Technical Support**", f'{A} — "0.0 – 6.0Technical SupportWill be provided for Reporting Problem"', "0h..6h", "computable"),
        ("Premium escalation: from **6h** the **Account Manager** if there is no response", f'{A} — "6.0 aboveAccount ManagerWill be provided If there is no response"', "6h..", "computable"),
        ("8x7 escalation: **0h..2h** Technical Support / Project Manager, **WhatsApp**", f'{B} — "0.0 – 2.0Technical Support / Project ManagerAssigned Customer Support Specialist in WhatsApp Channel"', "0h..2h@@1", "computable"),
        ("8x7 escalation: **2h..3h** Account Manager, **WhatsApp**", f'{B} — "2.0 – 3.0Account ManagerAssigned Account Manager in WhatsApp Channel"', "2h..3h@@1", "computable"),
        ("24x7 escalation: **0h..2h** Technical Support / Project Manager, **WhatsApp**", f'{C} — "0.0 – 2.0Technical Support / Project Manager"', "0h..2h@@2", "computable"),
        ("24x7 escalation: **2h..3h** Account Manager, **WhatsApp**", f'{C} — "2.0 – 3.0Account Manager"', "2h..3h@@2", "computable"),
        ("Dedicated packages reach support through **WhatsApp**", f'{B} — "in WhatsApp Channel"', ["channel WhatsApp", "channels WhatsApp@@1"], "prose"),
        ("Resolution times may differ by **complexity**", f'{A} — "the resolution times may differ according to the complexity of the issues"', "note \"Resolution times may differ", "prose"),
        ("Chat Service uptime **99%**, tracked per **month** at **status.qiscus.com**", f'{A} — "For Chat Service, Qiscus commits to an uptime of 99%"', "availability 99% per month", "computable"),
        ("The **chat feature** is usable 99% of the time", f'{A} — "The chat feature shall be usable 99% of the time (tracked monthly)"', "downtime means", "prose"),
        ("Excluded: **scheduled maintenance** communicated in advance", f'{A} — "Scheduled maintenance, which will be communicated in advance"', "exclude \"Scheduled", "prose"),
        ("Excluded: **third-party** services or infrastructure", f'{A} — "Downtime or disruptions caused by third-party services"', "exclude \"Downtime or disruptions", "prose"),
        ("Excluded: **force majeure**", f'{A} — "Force majeure events such as natural disasters"', "exclude \"Force majeure", "prose"),
    ],
    warnings="""
- W103 ("target stated two ways that disagree") on each Resolution add-on target written with its hour figure ({L:3 business days (72h)}-{L:30 business days (720h)}: `3 business days (72h)`, `13 business days (312h)`, `30 business days (720h)`): in the plans' 8-hour business days the two figures differ (30 business days are 240 business hours, not 720). The reading `two_ways` says the business-day figure governs, which settles the warning, so `check --strict` passes.
- Without that reading the checker would report the W103s against calendar `everyday` (the 8x7 plan, where the gap is largest). No diagnostic is raised (asserted in `tests/test_seed_facts.py`); W303 (holiday set used beyond its frozen years) would be expected only for dates after 2035 on `office`.
""",
    not_commitments="""
- "This Service Level Agreement (SLA) is designed to provide a clear and structured framework ..." (INTRODUCTION): a statement of purpose.
- "Enjoy all the benefits of the Basic Support Package ..." and "tailored for critical business needs": marketing wording of the inclusion that rows 18, 23 and 28 carry.
- "Comments", "Leave a Reply", "Your email address will not be published. Required fields are marked *": web page boilerplate after the document.
- Annex D is referenced but not published in the seed.
""",
    gaps="""
- Basic's "Target 99% uptime on a best-effort basis" versus the committed 99% of Annexes A-C: the same service has a best-effort target under one plan and a commitment under others. Availability is stated on a service, not per plan, so Basic's best-effort status is a feature line plus the reading `basic_uptime`.
- "Clients shall be informed at least 2 days in advance" is written as a notice commitment; what counts as informing is prose.
""",
)
