from sitebuilder import outcome, session

def test_builds(site):
    site.write("sessions/2021/tingche.md", session("停车难", "qingdao", "2021-04-02", [
        outcome("a", "错时开放", ["市住建局"], ("2021-04-02", "submitted"), ("2021-05-01", "已落實", "done"))]))
    r = site.build()
    assert r.returncode == 0, r.log
    assert "停车难" in r.page("sessions/2021/tingche/")
