from tools.community_report.cli import main

raise SystemExit(main())
