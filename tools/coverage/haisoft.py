T = "§ (top)"
CR = "§ Customer Relations"
NC = "§ Network Connection"
SM = "§ Server Monitoring"
HW = "§ Hardware Warranty"
MG = "§ Server Management"
BK = "§ Backup of your data"
EM = "§ eMail management/Blacklists"
SPEC = dict(
    provider="HaiSoft", seed="001", seedfile="001_7890e161284cd884.txt", contract="haisoft",
    intro="Dedicated servers and virtual machines: scope, ticket and phone support, 99.95% network availability with per-outage credits and two caps, monitoring, hardware replacement, server management, backups and email.",
    rows=[
        ("Document title **SLA - Service Level Agreement**", f'{T} — "SLA - Service Level Agreement"', "title \"SLA", "prose"),
        ("Applies to every **Dedicated Server or Virtual Machine** and describes the services provided with it", f'{T} — "This SLA applies to any Dedicated Server or Virtual Machine"', "scope \"This SLA applies", "prose"),
        ("Does not apply to **VPS or Shared Hosting** (Perso, Pro, MEGA, Multi-domain)", f'{T} — "This SLA does not apply to VPS or Shared Hosting"', "scope \"This SLA does not apply", "prose"),
        ("Staff and technicians answer questions and monitor servers and networks **7 days a week, 24 hours a day**", f'{CR} — "7 days a week, 24 hours a day"', "policy \"Customer Service staff", "prose"),
        ("Support **Ticket** in the **Member's Area**, 24x7", f'{CR} — "create a Support Ticket in the Member\'s Area"', ["channel Ticket", "calendar always"], "computable"),
        ("Tickets answered by the **priority chosen**; usually read **8am and 10pm**; answered within a few minutes if necessary (no target stated)", f'{CR} — "Our staff read those tickets usually between 8am and 10pm"', "note \"Staff answer according", "prose"),
        ("**Phone** on weekdays **09:00-11:00, 13:00-16:00**", f'{CR} — "during the week between 9am and 11am, and between 1pm and 4pm"', ["channel Phone", "Mon-Fri 09:00-11:00"], "computable"),
        ('Phone **pickup** within **1\'30"**', f'{CR} — "pick-up the phone within"', "pickup 1'30", "computable"),
        ("Phone staff assist on the phone or by opening a **Support Ticket**", f'{CR} — "will be able to assist you on the phone or via the opening of a Support Ticket"', "note \"Staff assist", "prose"),
        ("Network of HaiSoft's own **IP addresses** from its datacenters to the Internet; a server unreachable through it is down", f'{NC} — "We use our own IP addresses and manage that part of the Network"', "downtime means", "prose"),
        ("Network availability **99.95%** (per **month**: reading `period`)", f'{NC} — "We guarantee 99.95% availability of the network"', "availability 99.95%", "computable"),
        ("Credit per outage longer than **1h**, per started **60m**", f'{NC} — "for more than 1 hour"', "credit per outage beyond", "computable"),
        ("Credit worth **1 day** per hour of unavailability", f'{NC} — "we will give you a credit worth 1 day, per hour where your server is unavailable"', "      1 day of service", "computable"),
        ("Credit **3.3%** of the monthly payment per 60-min period", f'{NC} — "That is 3.3% of your monthly payment"', "3.3% of monthly fee", "computable"),
        ("Credit **0.27%** of the annual payment per 60-min period", f'{NC} — "or 0.27% of your annual payment per 60-min period"', "0.27% of annual fee", "computable"),
        ("Cap **50%** of the monthly payment in any month", f'{NC} — "This credit will not exceed 50% of your monthly payment"', "cap 50%", "computable"),
        ("Cap **1/24** of the annual payment in any month", f'{NC} — "or 1/24 of your annual payment in any given month"', "cap 1/24", "computable"),
        ("Staff monitor the servers and the network **at all times**", f'{SM} — "Our staff monitor the servers and the network at all times"', "policy \"Staff monitor", "prose"),
        ("Network availability and services (**Web** access, **DNS**) monitored every **5m**", f'{SM} — "we monitor both network availability and services every 5 minutes"', "monitor every 5m", "computable"),
        ("A technician checks the server or service within **1h** of a detected problem, **depending on the time of day or night**", f'{SM} — "our techniciens will check the server or the service within one hour"', "commit \"If anything wrong is detected", "computable"),
        ("**Other services** than Web and DNS monitored at no extra cost on request", f'{SM} — "We can also monitor other services than Web and DNS, at no extra cost"', "note \"Other services", "prose"),
        ("Hardware is **tested** before installation; **spare parts** on site, most parts replaced within minutes", f'{HW} — "We test the hardware we use before we install"', "note \"Hardware is tested", "prose"),
        ("Failing hardware, up to the **whole server**, replaced at **no extra charge**", f'{HW} — "including replacing the whole server if necessary, at no extra charge"', "policy \"Failing hardware", "prose"),
        ("A **critical** part (server down) replaced as soon as possible, usually within **1h**", f'{HW} — "we will replace it as soon as possible, usually within the hour"', "commit \"Replace a critical part", "computable"),
        ("A **non-critical** replacement is scheduled with the customer first", f'{HW} — "we will contact you first and arrange a date and time"', "policy \"A non-critical", "prose"),
        ("Hardware replacement does not include a **backup** of the customer's data", f'{HW} — "this does not include a backup of your data"', "exclude \"Hardware replacement", "prose"),
        ("HaiSoft does its best not to lose data and **recommends** a backup in a **different place**", f'{HW} — "we recommend you always have a backup of your data in a different place"', "note \"HaiSoft does its best", "prose"),
        ("**R1Soft** Backups, an **option** the customer subscribes to, keep backups over **several days**", f'{HW} — "We also provide R1Soft Backups"', "note \"HaiSoft also provides R1Soft", "prose"),
        ("Any failing part replaced within **4h** of a **monitoring** notification or a Support Ticket", f'{HW} — "HaiSoft will replace any part within 4 hours"', "within 4h after", "computable"),
        ("**Server Management** is included, on request by Support Ticket", f'{MG} — "The Server Management of your Dedicated Server and Virtual Machine is included"', "feature \"Server Management", "prose"),
        ("Installation of any **RPM** package and **basic setup**", f'{MG} — "installation of any RPM package and basic setup"', "feature \"Installation", "prose"),
        ("**Upgrade** of any package when a new RPM is available", f'{MG} — "upgrade of any package"', "feature \"Upgrade", "prose"),
        ("Non-RPM installs and **compiling** packages are charged **extra**", f'{MG} — "those services are available at an extra charge"', "policy \"Installing packages", "prose"),
        ("No backup of server data unless the **R1Soft Backup option** is subscribed", f'{BK} — "HaiSoft does not backup any data stored on your servers"', "policy \"HaiSoft does not back up", "prose"),
        ("**Whether or not** the customer subscribed to the option, HaiSoft is not responsible for **loss of data**, beyond resetting the server to its **initial state**", f'{BK} — "HaiSoft cannot be held responsible for any loss of data"', "exclude \"Whether or not", "prose"),
        ("The customer backs up all data in a **safe place** outside the contract", f'{BK} — "It is the customer\'s responsibility to make sure that all data are backed up"', "obligation \"The customer is responsible", "prose"),
        ("An **MTA** on the server is supported as part of server management", f'{EM} — "HaiSoft provides a service that includes an MTA"', "feature \"An MTA", "prose"),
        ("Email **delivery** cannot be guaranteed (remote servers' own policies, **spam** tagging)", f'{EM} — "HaiSoft cannot guarantee delivery of emails"', "exclude \"HaiSoft cannot guarantee", "prose"),
        ("The user keeps relayed emails **formatted properly**", f'{EM} — "It is the user\'s responsibility to ensure that emails relayed by the server be formatted properly"', "obligation \"The user must", "prose"),
        ("HaiSoft **helps configure** the server but is not responsible for email issues", f'{EM} — "HaiSoft helps the customer to configure the server"', "exclude \"HaiSoft helps", "prose"),
    ],
    warnings="""
- The per-outage credit is stated three ways (1 day of service, 3.3% of the monthly fee, 0.27% of the annual fee, {L:1 day of service}-{L:0.27% of annual fee}) that do not agree exactly (a day is 3.2% to 3.6% of a month; 0.27% x 12 = 3.24%): the checker would raise W104 ("credit amounts stated two ways that disagree") at {L:1 day of service} (3.33%, 3.30% and 3.24% of a month's fee); the readings `amounts` and `caps` say which figure governs, which settles the warning, so `check --strict` passes.
- Two caps ({L:cap 50%}, {L:cap 1/24}) are the same amount (50% of a month) on two billing bases; the checker raises nothing there, rightly: each applies to one basis (reading `caps`). No other diagnostic is raised (asserted in `tests/test_seed_facts.py`).
""",
    not_commitments="""
- "Please check our server management page for more information on what is included in the package" points to another document; row 30 carries it.
- Section headings (Customer Relations, Network Connection, ...) are structure.
""",
    gaps="""
- The credit applies per billing basis (monthly or annual payment); the language has no way to say which amount and cap go with which basis, so the reading `caps` states it in prose.
- "within one hour depending on the time of day/night" is kept as a best-effort 1h commitment; the dependence on the time of day is not computable.
""",
)
