S = "§ End-user Support"
OT = "§ Support Operating Time"
SU = "§ 99.95% Server Uptime Guarantee"
NU = "§ 99.95% Network Uptime Guarantee"
MB = "§ Money Back Guarantee Policy"
DB = "§ Data Backup Guarantee"
SR = "§ Server Product Replacement"
TP = "§ Third Party Partnership"
SPEC = dict(
    provider="Rocksoft", seed="000", seedfile="000_98305f12aa2cf2c9.txt", contract="rocksoft",
    intro="Hosting provider in Malaysia: support channels and hours, first-response and resolution targets, 99.95% server and network uptime with subscription-extension credits, refunds, backups and replacement.",
    rows=[
        ("Document title **End-user Support**", '§ title — "End-user Support"', 'title "End-user Support"', "prose"),
        ("Support for all customers and **end-user customers** through the website's live chat and ticketing system", f'{S} — "support all customers and end-user customers"', "scope \"Rocksoft supports", "prose"),
        ("**Phone** support during the hotline operating time", f'{S} — "We also provide phone support"', ["scope \"Rocksoft supports", "channel Phone"], "prose"),
        ("Guaranteed first response within **45m** to every support inquiry, around the clock", f'{S} — "first response to support inquiries is 45 minutes"', "respond 45m", "computable"),
        ("**85%** of issues resolved within **2h** (per calendar month: reading `proportion`)", f'{S} — "85% of issues resolved within two hours"', "resolve 2h for 85%", "computable"),
        ("**Critical** issues normally solved in **15m** to **4h** (best effort)", f'{S} — "between 15 minutes to 4 hours timeframe"', "priority Critical resolve", "computable"),
        ("**Normal** and **Non-Urgent** tickets solved in **2h** to **24h** (a firm range: only Critical says \"normally\")", f'{S} — "Normal and Non-Urgent priority ticket will be solved between 2 to 24 hours"', "priority Normal, \"Non-Urgent\"", "computable"),
        ("Priority levels **Critical**, **Normal**, **Non-Urgent** (named by the seed, not described)", f'{S} — "Normal and Non-Urgent priority"', "priorities Critical", "computable"),
        ("Missed support guidelines: pro-rated **subscription** extension when the late response lengthened website, email or database downtime", f'{S} — "Should we fail to meet these guidelines"', "policy \"Should Rocksoft fail", "prose"),
        ("**Ticketing** system 24x7x365 via the **Client area** support menu", f'{OT} — "Ticketing System: 24x7x365"', ["channel Ticketing", "calendar always"], "computable"),
        ("**Live chat** Monday to Sunday **08:00-24:00** via the website", f'{OT} — "Live Chat: Monday to Sunday from 8AM-12 Midnight"', ["channel \"Live chat\"", "calendar chat"], "computable"),
        ("**WhatsApp** Monday to Sunday **08:00-24:00** on **+6017 477 2874**", f'{OT} — "WhatsApp: Monday to Sunday from 8AM-12 Midnight"', ["channel WhatsApp", "calendar chat"], "computable"),
        ("**Phone** Monday to Friday **09:00-18:00** excluding public **holidays**, on **+6016 299 1613**", f'{OT} — "Phone Call: Monday to Friday from 9AM-6PM, excluding public holidays"', ["channel Phone", "calendar phone"], "computable"),
        ("Server uptime **99.95%** per calendar **month**", f'{SU} — "Rocksoft guarantee 99.95% server uptime"', "availability 99.95% per month in Asia/Kuala_Lumpur@@1", "computable"),
        ("Missed server month: pro-rated subscription extension for the **excess**ive downtime", f'{SU} — "for the duration of excessive downtime"', "credit extension for excess downtime@@1", "computable"),
        ("Server guarantee applies to **Dedicated Server**, Cloud VPS and Cloud Server", f'{SU} — "which includes Dedicated Server, Cloud VPS"', "note \"Applies to all server products", "prose"),
        ("Refund only as a **subscription extension**", f'{SU} — "refund is in a form of subscription extension only"', ["policy \"Refunds under the 99.95%", "claim \"Request a pro-rated refund@@1"], "prose"),
        ("**Application errors** in the client's environment, and downtime they cause, are not covered", f'{SU} — "We are not responsible for any application errors"', "exclude \"Application errors", "prose"),
        ("Rocksoft will still **advise and assist** on application errors", f'{SU} — "we will do our best to advise and assist clients"', "policy \"Rocksoft does its best", "prose"),
        ("Network uptime **99.95%** per calendar **month**", f'{NU} — "Rocksoft guarantee 99.95% network uptime"', "availability 99.95% per month in Asia/Kuala_Lumpur@@2", "computable"),
        ("Network guarantee covers all **datacentres** and all products sold, applies to the server products", f'{NU} — "on all of our datacentres involving all products that we sell"', "note \"Covers all Rocksoft datacentres", "prose"),
        ("Missed network month: pro-rated subscription extension for the **excess**ive downtime", f'{NU} — "for the duration of excessive downtime"', "credit extension for excess downtime@@2", "computable"),
        ("Network refund only as a **subscription extension**", f'{NU} — "refund is in a form of subscription extension only"', "claim \"Request a pro-rated refund@@2", "prose"),
        ("No **money-back** guarantee; server products fall under a **no-cancellation** policy until the end of the billing cycle", f'{MB} — "Rocksoft do not practice money back guarantee"', "policy \"No money-back", "prose"),
        ("**Unused** subscription periods are not refunded (e.g. early cancellation of an annual payment)", f'{MB} — "non-refundable policy for unused subscription period"', "policy \"Unused subscription", "prose"),
        ("Problems during a no-cancellation subscription stay **covered** by both uptime guarantees (extension)", f'{MB} — "it will still be covered by policies of 99.95% Server Uptime Guarantee"', "note \"Problems or dissatisfaction", "prose"),
        ("Approved refunds applied as subscription extension within **72h** of **approval**", f'{MB} — "within 72 hours of the approval"', "within 72h after \"approval\"", "computable"),
        ("Products delivered to the agreed specifications and timeline, else a **monetary refund** may follow", f'{MB} — "may lead to monetary refund if we failed to do so"', "policy \"Rocksoft remains responsible", "prose"),
        ("**Redundancy** for all server product infrastructure", f'{DB} — "always provide redundancy to all of our server products infrastructure"', "feature \"Redundancy", "prose"),
        ("Free weekly backup of server product data (**every 1 week**)", f'{DB} — "perform free weekly backup of the data for our server products"', "commit \"Free backup of Cloud VPS", "computable"),
        ("**Dedicated servers** are not backed up unless the optional secondary disk or remote **managed backup** is subscribed", f'{DB} — "except for Dedicated Server"', "exclude \"Dedicated servers are not backed up", "prose"),
        ("Old versions are restored on a **request** through the support channel", f'{DB} — "must make request for data restoration via our support channel"', "obligation \"A user who wants", "prose"),
        ("Only the **weekly** backup is free for Cloud VPS and Cloud Server; **daily, monthly and yearly** by subscription", f'{DB} — "only weekly backup is provided for free in this policy"', "note \"For Cloud VPS and Cloud Server only", "prose"),
        ("Without a managed backup, dedicated-server clients keep their **own data backup** procedure", f'{DB} — "clients will hold own responsibility in maintaining their own data backup procedure"', "obligation \"A dedicated-server client", "prose"),
        ("A server that cannot be brought back online is **replace**d with the same or similar specifications within **12h**", f'{SR} — "within 12 hours"', "within 12h after", "computable"),
        ("Where the backup policy applies, the recent backup is **restore**d within **24h**", f'{SR} — "recent backup data will be restored tot he server within 24 hours"', "within 24h after", "computable"),
        ("Third-party **partnerships** may bring customised packages; Rocksoft is not involved with the third party and is responsible only for its server products and support", f'{TP} — "we are never directly involved with the 3rd party company"', "policy \"Partnerships", "prose"),
    ],
    warnings="""
None. `sladsl/check/` raises no diagnostic on this contract (asserted in `tests/test_seed_facts.py::test_model_intentional_warnings_only`). Should a future W101 compare the 45m response with the 15m lower end of the Critical range, it would be spurious: the upper end (4h) governs.
""",
    not_commitments="""
- Section headings (`Support Operating Time`, `Data Backup Guarantee`, ...) are structure, not commitments.
- "This program usually result in customized packages, pricing, and other custom arrangement" and the description of who partners with Rocksoft are background to the partnership policy (row 37), which carries them.
""",
    gaps="""
- The remedy for a missed *support* target (row 9) has no formula in the seed ("pro-rated amount of subscription extension for the duration of subscription", conditional on the late response having lengthened downtime): it stays a policy (reading `support_remedy`). The language could express an extension credit tied to targets, but the seed gives nothing to compute.
- "Customer's operation" being affected (the condition on the extension) is a judgement, not a measurable event.
""",
)
