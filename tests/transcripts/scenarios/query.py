"""The `query` scenario: pages made through action=edit, then the query modules.

Everything the scenario creates is named with a prefix made of the time it
started ("Qt20260102030405 ..."), so that pages left by earlier runs or by other
scenarios never show in its answers.  The recording notes that time
("prefix_stamp"); scripts/scenarios.py replaces it (also its hex form, inside
category sort keys) by a fixed stamp before compare.py compares two recordings.  Modules without a
prefix filter are restricted by title, user, namespace or by a start timestamp
taken when the scenario began.  At the end the scenario deletes what it made, so
that site-wide lists (pageswithprop, querypage) see the same wiki every time.

Steps may carry "compare_ignore": a list of regular expressions over the step's
diff paths (e.g. "response\\.body\\.query\\.querypage\\.results.*") for values
that depend on the whole wiki rather than on the scenario; scripts/transcripts.py
passes them to compare.py.
"""

NAME = "query"
DESCRIPTION = ("Query modules on pages created through action=edit: prop=info/revisions/"
               "links/templates/categories/redirects/linkshere/transcludedin, the list "
               "modules and their generators, limits and continuation, fv1 and fv2.")


def run(ctx, Scenario, wait_for_jobs):
    s = Scenario(ctx, NAME, DESCRIPTION)
    ts = ctx["ts14"]                  # start of the scenario, 14 digits
    iso = ctx["iso"]                  # the same instant, ISO 8601
    P = f"Qt{ts}"                     # title prefix of everything created here
    kw = f"kw{ts}"                    # a word only this run's pages contain

    def q(title, params, who="bot", fv=2, ignore=None, **kw2):
        p = {"action": "query"}
        p.update(params)
        if fv == 2:
            p["formatversion"] = "2"
        r = s.call(who, title, p, **kw2)
        if ignore:
            s.steps[-1]["compare_ignore"] = ignore
        return r

    def follow(title, params, who="bot", fv=2, times=1, ignore=None):
        """One request and up to `times` continuations of it."""
        r = q(title, params, who, fv, ignore)
        for i in range(times):
            cont = r.get("continue") if isinstance(r, dict) else None
            if not cont:
                break
            p = dict(params)
            p.update(cont)
            r = q(f"{title} (continue {i + 1})", p, who, fv, ignore)
        return r


    s.login("bot", ctx["bot_user"], ctx["bot_pass"])
    s.login("alice", ctx["user"], ctx["user_pass"])
    tok = s.token("bot")
    atok = s.token("alice")

    pages = [
        ("Template:" + P + " Inner",
         '<span class="inner">{{{1|inner default}}}</span>'),
        ("Template:" + P + " Outer",
         "{{" + P + " Inner|{{{1|}}}}} [[" + P + " Alpha]]<noinclude>"
         "[[Category:" + P + " Templates]]</noinclude>"),
        ("Category:" + P + " Fruits", "Fruit pages of the query scenario."),
        (P + " Alpha",
         f"{{{{DISPLAYTITLE:''{P} Alpha''}}}}__NOTOC__\n"
         f"Alpha text {kw}. [[{P} Beta]] [[{P} Gamma|gamma]] [[{P} Red one]] "
         f"[[Talk:{P} Alpha]] [[:Category:{P} Fruits]]\n"
         f"{{{{{P} Outer|a}}}} {{{{{P} Missing}}}}\n"
         f"https://example.org/{P}/alpha [https://example.com/{P}?x=1 ex]\n"
         f"[[mw:{P} Help]] [[wikipedia:{P} Foo]]\n"
         f"[[Category:{P} Fruits|Apple]] [[Category:{P} Colors]]"),
        ("Talk:" + P + " Alpha", f"Talk about [[{P} Alpha]]."),
        (P + " Beta",
         f"{{{{DEFAULTSORT:Beta sort}}}}__NOINDEX__ Beta {kw} second. [[{P} Alpha]] "
         f"[[{P} Delta]] [[{P} Red one]] [[{P} Red two]]\n{{{{{P} Outer|b}}}}\n"
         f"https://example.org/{P}/beta [[mw:{P} Help]]\n"
         f"[[Category:{P} Fruits|Banana]]"),
        (P + " Gamma", f"#REDIRECT [[{P} Alpha]]"),
        (P + " Gamma2", f"#REDIRECT [[{P} Beta#Part]]\n[[Category:{P} Redirects]]"),
        (P + " Delta", f"Delta first. [[{P} Alpha]] __NOTOC__"),
    ]
    created = []
    for title, text in pages:
        s.edit("bot", title, text, summary="query scenario", token=tok)
        created.append(title)
    # several revisions of one page, by two users; the last one watches it
    s.edit("bot", P + " Delta", f"Delta second. [[{P} Alpha]] [[Category:{P} Colors]]",
           summary="second", token=tok)
    s.edit("alice", P + " Delta", f"Delta third. [[{P} Alpha]] [[{P} Beta]] "
           f"[[Category:{P} Colors|D]]", summary="third", token=atok,
           watchlist="watch", watchlistexpiry="1 week")
    s.edit("alice", P + " Beta",
           f"{{{{DEFAULTSORT:Beta sort}}}}__NOINDEX__ Beta {kw} second, by Alice. [[{P} Alpha]] "
           f"[[{P} Delta]] [[{P} Red one]] [[{P} Red two]]\n{{{{{P} Outer|b}}}}\n"
           f"https://example.org/{P}/beta [[mw:{P} Help]]\n"
           f"[[Category:{P} Fruits|Banana]]", summary="alice edit", token=atok,
           watchlist="watch")
    s.edit("bot", P + " Delta", f"Delta fourth. [[{P} Alpha]] [[{P} Beta]] "
           f"[[Category:{P} Colors|D]]", summary="fourth", token=tok)
    # editing the inner template afterwards: the pages that use it get their
    # new category only through the job queue (refreshLinks)
    s.edit("bot", "Template:" + P + " Inner",
           '<span class="inner">{{{1|inner default}}}</span><includeonly>'
           "[[Category:" + P + " Templated]]</includeonly>", summary="add category",
           token=tok)
    wait_for_jobs()

    A, B, D = P + " Alpha", P + " Beta", P + " Delta"

    # ---------------------------------------------------------- prop=info
    q("prop=info inprop=url|talkid|subjectid|protection|displaytitle",
      {"prop": "info", "titles": f"{A}|Talk:{A}|{P} Gamma|{P} Red one|{P} Red one",
       "inprop": "url|talkid|subjectid|protection|displaytitle"})
    q("prop=info inprop=url|talkid|protection fv1",
      {"prop": "info", "titles": f"{A}|Talk:{A}|{P} Red one",
       "inprop": "url|talkid|subjectid|protection"}, fv=1)
    q("prop=info redirects=1 with a fragment",
      {"prop": "info", "titles": f"{P} Gamma|{P} Gamma2", "redirects": "1"})

    # ---------------------------------------------------------- prop=revisions
    follow("prop=revisions rvlimit=2 rvdir=newer content slots=main",
           {"prop": "revisions", "titles": D, "rvprop": "ids|timestamp|user|comment|size|content",
            "rvslots": "main", "rvlimit": "2", "rvdir": "newer"}, times=2)
    follow("prop=revisions rvlimit=1 (older) fv1 content without slots",
           {"prop": "revisions", "titles": D, "rvprop": "ids|user|comment|content|flags",
            "rvlimit": "1"}, fv=1)
    q("prop=revisions of several pages (latest only) with sha1|contentmodel",
      {"prop": "revisions", "titles": f"{A}|{B}|{P} Red one",
       "rvprop": "ids|sha1|contentmodel|size|user", "rvslots": "*"},
      # the text holds the run's title stamp, so its SHA-1 differs from run to run
      ignore=[r":response\.body\.query\.pages\[\d+\]\.revisions\[\d+\]\.sha1$"])
    q("prop=revisions rvstartid/rvendid style: rvuser filter",
      {"prop": "revisions", "titles": D, "rvprop": "ids|user|comment", "rvuser": "Alice",
       "rvlimit": "max"})

    # ---------------------------------------------------------- link props
    follow("prop=links pllimit=2", {"prop": "links", "titles": f"{A}|{B}", "pllimit": "2"},
           times=3)
    q("prop=links plnamespace=1 fv1", {"prop": "links", "titles": A, "plnamespace": "1"}, fv=1)
    follow("prop=templates tllimit=1", {"prop": "templates", "titles": f"{A}|{B}",
                                        "tllimit": "1"}, times=2)
    follow("prop=categories clprop=sortkey|hidden|timestamp cllimit=2",
           {"prop": "categories", "titles": f"{A}|{B}|{D}", "clprop": "sortkey|hidden",
            "cllimit": "2"}, times=3)
    q("prop=categories fv1", {"prop": "categories", "titles": f"{A}|{D}", "clprop": "sortkey"},
      fv=1)
    follow("prop=redirects rdlimit=1", {"prop": "redirects", "titles": f"{A}|{B}",
                                        "rdprop": "pageid|title|fragment", "rdlimit": "1"},
           times=1)
    follow("prop=linkshere lhlimit=1", {"prop": "linkshere", "titles": A,
                                        "lhprop": "pageid|title|redirect", "lhlimit": "1"},
           times=2)
    follow("prop=transcludedin tilimit=1", {"prop": "transcludedin",
                                            "titles": f"Template:{P} Inner",
                                            "tilimit": "1"}, times=2)
    q("prop=extlinks", {"prop": "extlinks", "titles": f"{A}|{B}"})
    q("prop=iwlinks iwprop=url", {"prop": "iwlinks", "titles": f"{A}|{B}", "iwprop": "url"})
    q("prop=pageprops", {"prop": "pageprops", "titles": f"{A}|{B}|{D}"})

    # ---------------------------------------------------------- prop generators
    follow("generator=links prop=info", {"generator": "links", "titles": A,
                                         "gpllimit": "3", "prop": "info"}, times=2)
    q("generator=templates prop=info", {"generator": "templates", "titles": A,
                                        "prop": "info"})
    q("generator=categories prop=info", {"generator": "categories", "titles": A,
                                         "prop": "info"})
    q("generator=redirects prop=info", {"generator": "redirects", "titles": f"{A}|{B}",
                                        "prop": "info"})
    follow("generator=linkshere prop=info glhlimit=1",
           {"generator": "linkshere", "titles": A, "glhlimit": "1", "prop": "info"}, times=1)
    q("generator=transcludedin prop=info fv1",
      {"generator": "transcludedin", "titles": f"Template:{P} Outer", "prop": "info"}, fv=1)

    # ---------------------------------------------------------- list=allpages
    follow("list=allpages apprefix aplimit=2", {"list": "allpages", "apprefix": P,
                                                "aplimit": "2"}, times=3)
    q("list=allpages apfilterredir=redirects", {"list": "allpages", "apprefix": P,
                                                "apfilterredir": "redirects"})
    q("list=allpages apnamespace=10 fv1", {"list": "allpages", "apprefix": P,
                                           "apnamespace": "10"}, fv=1)
    follow("generator=allpages prop=info gaplimit=2",
           {"generator": "allpages", "gapprefix": P, "gaplimit": "2", "prop": "info"}, times=1)

    # ---------------------------------------------------------- list=allredirects
    follow("list=allredirects arprop=ids|title|fragment arlimit=1",
           {"list": "allredirects", "arprefix": P, "arprop": "ids|title|fragment",
            "arlimit": "1"}, times=1)
    q("list=allredirects arunique", {"list": "allredirects", "arprefix": P, "arunique": "1"})
    q("generator=allredirects prop=info", {"generator": "allredirects", "garprefix": P,
                                           "prop": "info"})

    # ---------------------------------------------------------- list=alllinks
    follow("list=alllinks alprop=ids|title allimit=2",
           {"list": "alllinks", "alprefix": P, "alprop": "ids|title", "allimit": "2"}, times=2)
    follow("list=alllinks alunique allimit=2",
           {"list": "alllinks", "alprefix": P, "alunique": "1", "allimit": "2"}, times=1)
    q("generator=alllinks prop=info", {"generator": "alllinks", "galprefix": P,
                                       "prop": "info"})
    q("list=alllinks alunique fv1", {"list": "alllinks", "alprefix": P, "alunique": "1"}, fv=1)

    # ---------------------------------------------------------- list=alltransclusions
    follow("list=alltransclusions atprop=ids|title atlimit=2",
           {"list": "alltransclusions", "atprefix": P, "atprop": "ids|title",
            "atlimit": "2"}, times=2)
    q("list=alltransclusions atunique", {"list": "alltransclusions", "atprefix": P,
                                         "atunique": "1"})
    q("generator=alltransclusions prop=info", {"generator": "alltransclusions",
                                               "gatprefix": P, "prop": "info"})

    # ---------------------------------------------------------- list=allcategories
    follow("list=allcategories acprop=size|hidden aclimit=2",
           {"list": "allcategories", "acprefix": P, "acprop": "size|hidden",
            "aclimit": "2"}, times=2)
    q("list=allcategories fv1", {"list": "allcategories", "acprefix": P, "acprop": "size"},
      fv=1)
    q("generator=allcategories prop=info", {"generator": "allcategories", "gacprefix": P,
                                            "prop": "info"})

    # ---------------------------------------------------------- backlinks, embeddedin
    follow("list=backlinks bllimit=1", {"list": "backlinks", "bltitle": A, "bllimit": "1"},
           times=2)
    q("list=backlinks blredirect", {"list": "backlinks", "bltitle": A, "blredirect": "1"})
    q("list=backlinks fv1", {"list": "backlinks", "bltitle": A}, fv=1)
    q("generator=backlinks prop=info", {"generator": "backlinks", "gbltitle": A,
                                        "prop": "info"})
    follow("list=embeddedin eilimit=1", {"list": "embeddedin", "eititle": f"Template:{P} Inner",
                                         "eilimit": "1"}, times=2)
    q("generator=embeddedin prop=info", {"generator": "embeddedin",
                                         "geititle": f"Template:{P} Outer", "prop": "info"})

    # ---------------------------------------------------------- categorymembers
    follow("list=categorymembers cmprop=ids|title|sortkey|sortkeyprefix|type cmlimit=1",
           {"list": "categorymembers", "cmtitle": f"Category:{P} Fruits",
            "cmprop": "ids|title|sortkey|sortkeyprefix|type", "cmlimit": "1"}, times=2)
    q("list=categorymembers of a category without page",
      {"list": "categorymembers", "cmtitle": f"Category:{P} Colors",
       "cmprop": "title|sortkeyprefix"})
    q("list=categorymembers of a category added through the job queue",
      {"list": "categorymembers", "cmtitle": f"Category:{P} Templated"})
    q("list=categorymembers cmsort=timestamp fv1",
      {"list": "categorymembers", "cmtitle": f"Category:{P} Colors", "cmsort": "timestamp",
       "cmprop": "title|type"}, fv=1)
    q("generator=categorymembers prop=info", {"generator": "categorymembers",
                                              "gcmtitle": f"Category:{P} Fruits",
                                              "prop": "info"})

    # ---------------------------------------------------------- prefixsearch, search
    follow("list=prefixsearch pslimit=2", {"list": "prefixsearch", "pssearch": P,
                                           "pslimit": "2"}, times=2)
    q("generator=prefixsearch prop=info", {"generator": "prefixsearch", "gpssearch": P,
                                           "gpslimit": "3", "prop": "info"})
    q("list=search srwhat=text (one hit)", {"list": "search", "srsearch": f"{kw} second",
                                            "srwhat": "text", "srprop": "size|wordcount"})
    q("list=search srwhat=title srprop= srinfo=totalhits",
      {"list": "search", "srsearch": P + " Beta", "srwhat": "title", "srprop": "",
       "srinfo": "totalhits"})
    q("generator=search prop=info", {"generator": "search", "gsrsearch": f"{kw} second",
                                     "gsrwhat": "text", "prop": "info"})

    # ---------------------------------------------------------- recentchanges
    rc = {"list": "recentchanges", "rcstart": iso, "rcdir": "newer",
          "rcprop": "title|user|comment|flags|sizes|redirect|loginfo",
          "rctype": "edit|new|log"}
    follow("list=recentchanges rcdir=newer rclimit=3", {**rc, "rclimit": "3"}, times=2)
    q("list=recentchanges rcuser=Alice", {**rc, "rcuser": "Alice"})
    q("list=recentchanges rctitle", {**rc, "rctitle": D})
    q("list=recentchanges rcnamespace=10 fv1", {**rc, "rcnamespace": "10"}, fv=1)
    q("generator=recentchanges prop=info", {"generator": "recentchanges", "grcstart": iso,
                                            "grcdir": "newer", "grcnamespace": "10",
                                            "prop": "info"})

    # ---------------------------------------------------------- logevents
    le = {"list": "logevents", "lestart": iso, "ledir": "newer",
          "leprop": "title|type|user|comment|details"}
    follow("list=logevents ledir=newer lelimit=3", {**le, "lelimit": "3"}, times=1)
    q("list=logevents letype=create lenamespace=14", {**le, "letype": "create",
                                                      "lenamespace": "14"})
    q("list=logevents leuser=Alice fv1", {**le, "leuser": "Alice"}, fv=1)

    # ---------------------------------------------------------- allrevisions
    arv = {"list": "allrevisions", "arvstart": iso, "arvdir": "newer",
           "arvprop": "user|comment|size"}
    follow("list=allrevisions arvlimit=3", {**arv, "arvlimit": "3"}, times=1)
    q("list=allrevisions arvuser=Alice", {**arv, "arvuser": "Alice"})
    q("list=allrevisions arvnamespace=10 content", {**arv, "arvnamespace": "10",
                                                    "arvprop": "user|content",
                                                    "arvslots": "main"})
    q("generator=allrevisions prop=info", {"generator": "allrevisions", "garvstart": iso,
                                           "garvdir": "newer", "garvnamespace": "14",
                                           "prop": "info"})

    # ---------------------------------------------------------- pageswithprop
    follow("list=pageswithprop notoc pwplimit=1", {"list": "pageswithprop",
                                                   "pwppropname": "notoc",
                                                   "pwpprop": "title|value",
                                                   "pwplimit": "1"}, times=1)
    q("list=pageswithprop displaytitle", {"list": "pageswithprop",
                                          "pwppropname": "displaytitle",
                                          "pwpprop": "title|value"})
    q("list=pageswithprop noindex fv1", {"list": "pageswithprop", "pwppropname": "noindex"},
      fv=1)
    q("generator=pageswithprop prop=info", {"generator": "pageswithprop",
                                            "gpwppropname": "notoc", "prop": "info"})

    # ---------------------------------------------------------- protectedtitles
    q("list=protectedtitles (none since the start)",
      {"list": "protectedtitles", "ptstart": iso, "ptdir": "newer"})

    # ---------------------------------------------------------- querypage
    q("list=querypage Wantedtemplates", {"list": "querypage", "qppage": "Wantedtemplates",
                                         "qplimit": "500"})
    q("list=querypage Uncategorizedtemplates", {"list": "querypage",
                                                "qppage": "Uncategorizedtemplates",
                                                "qplimit": "500"})

    # ---------------------------------------------------------- watchlist
    wl = {"list": "watchlist", "wlstart": iso, "wldir": "newer",
          "wlprop": "title|user|comment|flags|sizes|expiry"}
    follow("list=watchlist as Alice wllimit=2", {**wl, "wllimit": "2"}, who="alice", times=2)
    q("list=watchlist wlallrev", {**wl, "wlallrev": "1"}, who="alice")
    q("generator=watchlist prop=info", {"generator": "watchlist", "gwlstart": iso,
                                        "gwldir": "newer", "prop": "info"}, who="alice")
    wr = {"list": "watchlistraw", "wrfromtitle": P, "wrtotitle": P + " Zzz"}
    follow("list=watchlistraw wrprop=changed wrlimit=1", {**wr, "wrprop": "changed",
                                                          "wrlimit": "1"}, who="alice",
           times=2)
    q("list=watchlistraw fv1", {**wr, "wrnamespace": "0|1"}, who="alice", fv=1)
    q("generator=watchlistraw prop=info", {"generator": "watchlistraw",
                                           "gwrfromtitle": P, "gwrtotitle": P + " Zzz",
                                           "prop": "info"}, who="alice")
    q("list=watchlist as anonymous", {**wl}, who="anon")

    # ---------------------------------------------------------- exturlusage
    follow("list=exturlusage euquery eulimit=1",
           {"list": "exturlusage", "euquery": f"example.org/{P}", "euprotocol": "https",
            "euprop": "ids|title|url", "eulimit": "1"}, times=2)
    q("list=exturlusage euprotocol=https fv1",
      {"list": "exturlusage", "euquery": f"example.com/{P}", "euprotocol": "https"}, fv=1)
    q("generator=exturlusage prop=info", {"generator": "exturlusage",
                                          "geuquery": f"example.org/{P}", "geuprotocol": "https",
                                          "prop": "info"})

    # ---------------------------------------------------------- iw/lang backlinks
    follow("list=iwbacklinks iwblprefix=mw iwbllimit=1",
           {"list": "iwbacklinks", "iwblprefix": "mw", "iwbltitle": f"{P}_Help",
            "iwblprop": "iwprefix|iwtitle", "iwbllimit": "1"}, times=1)
    q("generator=iwbacklinks prop=info", {"generator": "iwbacklinks", "giwblprefix": "mw",
                                          "giwbltitle": f"{P}_Help", "prop": "info"})
    q("list=langbacklinks lbllang=fr (none)", {"list": "langbacklinks", "lbllang": "fr",
                                               "lbltitle": f"{P} Alpha"})

    # ---------------------------------------------------------- teardown
    tok = s.token("bot")
    for title in reversed(created):
        s.call("bot", f"delete [[{title}]]", data={
            "action": "delete", "title": title, "reason": "query scenario teardown",
            "token": tok, "formatversion": "2"}, setup=True)
    wait_for_jobs()
    return s
