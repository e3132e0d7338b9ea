T = "§ description"
C = "§ contact ways"
SV = "§ severity levels"
SL = "§ SLA notes"
SPEC = dict(
    provider="Rocket.Chat", seed="002", seedfile="002_b9ec78d8686c6e4d.txt", contract="rocketchat",
    intro="Legacy support plans (withdrawn for new purchases on 1 July 2022): contact channels, three severity levels, email default priority, first-response-only SLAs and the 12x5 / 24x7 coverage calendars. The seed publishes no response times, so the contract has no numeric targets.",
    rows=[
        ("Support services for **legacy products**", f'{T} — "Support services applied for legacy products"', "title \"Support services", "prose"),
        ("No longer offered for new purchases since **2022-07-01**", f'{T} — "No longer offered for new purchases since 1st July 2022"', "withdrawn 2022-07-01", "computable"),
        ("Legacy plans apply to **Silver, Bronze, Gold, Pro and Enterprise**", f'{T} — "Legacy Support Plans are applied for the legacy products"', "scope \"Legacy Support Plans", "prose"),
        ("Plan **Silver**", f'{T} — "- Silver"', "plan Silver", "prose"),
        ("Plan **Bronze**", f'{T} — "- Bronze"', "plan Bronze", "prose"),
        ("Plan **Gold**", f'{T} — "- Gold"', "plan Gold", "prose"),
        ("Plan **Pro**", f'{T} — "- Pro"', "plan Pro", "prose"),
        ("Plan **Enterprise**", f'{T} — "- Enterprise"', "plan Enterprise", "prose"),
        ("**Three ways** to contact Rocket.Chat", f'{C} — "There are three ways to contact Rocket.Chat for assistance"', "note \"There are three ways", "prose"),
        ("Only **customer-assigned points of contact** open tickets at the **Desk Portal**", f'{C} — "Only customer-assigned points of contact can open a support ticket at the Desk Portal"', "channel \"Desk Portal\"", "prose"),
        ("**Email** channel on **supported plans** only", f'{C} — "Email (check supported plans)"', "channel Email", "prose"),
        ("Email verified by **domain**: company-domain addresses go to the customer queue, others and free domains are not identified", f'{C} — "The email verification is done through the domain"', "audience \"Email addresses", "prose"),
        ("**Phone** landline **+1 (833) 479-0110**", f'{C} — "+1 (833) 479-0110"', "channel Phone", "prose"),
        ("Phone for emergencies only: **High** severity", f'{C} — "For emergency cases only (High Severity)"', "only priority High", "computable"),
        ("Three severity levels, most severe first: **High**, **Medium**, **Low**", f'{SV} — "Critical Business Impact"', "priorities {", "computable"),
        ("High: **critical business impact**, operations prevented or many users cannot work, no workaround; examples data loss, crashes", f'{SV} — "A critical issue occurring in Rocket.Chat Services that prevent business operations"', "High: \"Critical business impact", "prose"),
        ("Medium: **normal business impact**, partial or non-critical loss on production, few users; examples some functions unavailable", f'{SV} — "An issue causing a partial or non-critical loss of functionality on a production system"', "Medium: \"Normal business impact", "prose"),
        ("Low: **minimal business impact**, non-production issue, question, feature request; example product questions", f'{SV} — "Issue occurring on non-production system or question, comment, feature request"', "Low: \"Minimal business impact", "prose"),
        ("Email tickets default to **Medium** priority", f'{SL} — "Tickets created by email are automatically assigned as"', "default priority Medium", "computable"),
        ("Email tickets get the SLA of Medium according to the **account information**", f'{SL} — "will have the associated SLA'+"'"+'s according to the account information"', "note \"Tickets created by email", "prose"),
        ("Paid-support customers are recommended to use the **Support Portal**", f'{SL} — "Customers entitled to paid support are recommended to raise tickets on the Support Portal"', "note \"Customers entitled", "prose"),
        ("SLA times set per account by **priority**, **plan** and **account status** (no figures published)", f'{SL} — "taking into account the priority, the paid plan/product, and the customer account status"', "policy \"SLA times are set per account", "prose"),
        ("SLA times are **first-response** times, not time to resolution; best effort", f'{SL} — "are not to be considered as an expected time-to-resolution"', "policy \"SLA times are first-response", "prose"),
        ("**12x5** coverage: Mon-Fri **08:00-20:00** BRT", f'{SL} — "12x5 - Support Specialists are actively responding to tickets MON-FRI, 8 AM BRT to 8 PM BRT"', ["calendar \"12x5\"", "note \"12x5 coverage"], "computable"),
        ("**24x7** coverage: a specialist **on call** around the clock", f'{SL} — "24x7 - Support Specialist on-call 24 hours a day, 7 days a week"', ["calendar \"24x7\"", "note \"24x7 coverage"], "computable"),
        ("Legacy plans have **first-response** SLAs only (stated once for all plans)", f'{SL} — "the time frames in which customers can expect to receive the first response"', "policy \"SLA times are first-response", "prose"),
    ],
    warnings="""
- None is raised on purpose by the calendar zone: the contract writes the fixed offset `GMT-3` that BRT (Brasilia Time) means, not the abbreviation `BRT`, so W302 (zone abbreviation) does not fire; the reading `zone` records the choice.
- The calendars `12x5` and `24x7` are declared but no plan or target uses them (the seed does not say which plan has which coverage). The checker raises nothing today; a future "unused calendar" warning would be expected here.
""",
    not_commitments="""
- The table header `description | ---|` is page markup.
- The e.g. lines before each severity description ("(e.g., system down, main functions affected, ...)") are folded into the level descriptions (rows 16-18).
""",
    gaps="""
- The seed's response times are elided ("The SLAs are defined by ****") and vary per account: no target can be written. The language can express per-plan targets, but the seed gives no figures and no plan-to-coverage mapping (reading `coverage`).
""",
)
