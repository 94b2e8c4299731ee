// Encrypted copies of TestCertificate's private key, plus one freshly generated encrypted key with its own
// self-signed certificate, all made with the openssl 3.0 CLI for these tests only (never trusted anywhere).
// Every key except `unicodePKCS8` uses `password`.
enum EncryptedKeyFixtures {
    static let password = "scimctl-fixture-passphrase-7Q"
    static let unicodePassword = "pässwörd-ünïcode"

    /// `openssl pkcs8 -topk8 -v2 aes-128-cbc -v2prf hmacWithSHA1`
    static let aes128SHA1 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQIiLvaP50yupkCAggA
        MB0GCWCGSAFlAwQBAgQQnv9GuorfxfqbdBQEIuE0+gSCBNCUVqAag5ykwtHy6pwd
        diO5Hu6s1k4MWJD082ZzUEu7L/qw4f+qFPQWGDIzVMWaSQXrdaT1xZBad6Wh9sQH
        0VvlA1ua8AV52Py94AY5+rVAdJHbT/B2e1Cprf0ZBqgG5pbTuQVfahIOtRJVkE36
        USKqqdBNWeWtlPbJ4xp2DNtD7fIUhGeOtCNhWTcCJ3hDOrxwkN/cA7Wkc/ZCX8oz
        Mmj3E39V8cdVcHwpjm7Ly8F3S/FhWatJE22NV3ujR8Ol3XO1K+F9o8jY336s3Ll7
        0an16B+JxdmXjubN8SxVDbtsOL3ATUHB2USI9YiSBLdkoeAIU1Hez/IC0XFA7XHd
        Bxu6uV3dK2XDuUh/S2QUTvQeACArj26Ap6V4NwYQjdZk8nq6hHRWU5ju7D2A7522
        0yPXGfHalcdDp/tv1Pq1BOcqdJ5R0Gx4OI5cKnPCZ2bzo6xc8Pppa59j2xeamWSc
        xyv6UYBuwNWadicUJBwOjR+1WZs/JAqqPKxDPXf/VS+6aOtEuqvUEE5ttHh3A951
        mCIsxPYxs/1/W+tx7tZgJLU/lsdQ7OyxsqBHxHpAq55Lzk3NhxRGpq3jlW3LcfUH
        RnkB/t5kZXfUMB5HcGn2nUNqdMJfjQSK09nF5r7H22/JewM6eB0i/PcJBefr5L16
        9+WWfILD07x6PCUyTOwDs5ys2yIo0/mcaccGKmb2oePRdHA5SVjHP7ikjdSQa7ja
        /Cp/L6yfG60fiVrKb1YNvdxKRr1IMjhIh2oQDPhSL68owNNPNvYpMU7TFb5IxMFE
        bRYr4egw/OzJ4PUCvrC5fq7uws82Qu4pNXdWd+E62yUKbeVOVR/gPCdz+WnOUmF9
        Jb87H982pb9K2eBLXWVtW4nrVn+xYg1LxOP7gfYV9M1urCbkQmnxYFcVIDxPS+vB
        X501J+hAxGeXBPFUDCnOWW2dWLgUIloDyxKmM/Pc5fSYeJukDFxTcS/eHZZaUcgc
        VDs3STdwnGf9dwmxOftmj2ajxGp9/OJXJjgcfnj2myTBDcB2iDjDC0GC7o6vWxUQ
        B4MFAX5aKGGsGTfeb10T6FFD0H2qv5nKGC4t4Xnw3bVYnOl17TGLKRVcYM2BEUu/
        VVTTKCKqZZe+L8XAtriFysHVzYtH+xdXDTepwaJ4CfN23IDN4QUNDqv8y8uSHsrO
        QY6lYBU1MZm1ymBzNJA68asdthABOZ7Ty3Ao2Qw2R2/B4LRWeWXdxg4ypz8+qUBU
        C6PFvhd/43jFGRhBcVwkL/lp6KsnJiV21AS8f8qjTH0LleioDA9Q34UchzHYaecJ
        iGIXEJtA8LhCdIv90e0ZR/JmyOrguP7XkmUvSJpXoFBCEyGz7C4dh8X8smAc9B4h
        9I3NUUskkfL7tzBJ6J10Cty2U4lxqgiUMvhxUsC4s4P44iYlkBsPmIG8vi6iQlqw
        WKrgFthxezsvrw+ggKVNSBEXy8Q9R4gC14Gmy3kqIooy8U99WekoOM6rK0tL0dFd
        PrgS4TydKRilHqw7WR1ao9znA/OldBGixyiI+VZf8fC3dPtGEPkztG8PE4/vQ/fn
        f33rAeQX0OUjLcURxc7gO5+rn8GQuYefogeSKpCuqNDlUiUHg5UcSKfG2vqsLKTS
        j30xTKlbK2MHc7FKppoy++TU0w==
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl pkcs8 -topk8 -v2 aes-192-cbc -v2prf hmacWithSHA384`
    static let aes192SHA384 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIKSgBJ9jzlR4CAggA
        MAwGCCqGSIb3DQIKBQAwHQYJYIZIAWUDBAEWBBDER+ScJE1i3s0tZSPAO9BQBIIE
        0D5sCdmeWeFmErrgKqCrkpV5BWOIF8hdo2HTH4xXE+k4hMR/LF58TOLuHmAkI/ri
        qAehgk/BDQniIqdhaScx2qCJ47/btE5Scmn33dfS9aEtOwvaS1C7N1m9jNk1pipx
        Fifz+OA8T8iLsREJWb7JSwLlqVMdU89sLXmdsjz1+s0ynbLdo7M/Z0DYu+/SLhXR
        coxnezHiCwqoGGU3crPCGZbVz68LKW8ZTszxuPD2YKZzxCH1pIKYysYZcdDpNdBg
        Gcld6XofLY4ZF2UUv9x21OzQVnm/CeJ7UFfbmDRpwh1RihcYZLcaHoL9yPq1X5Ye
        3xiP8B08DL8Cb+UGME+9NbhMzrTdNSk2rnshFwsHa+gPl8VQCh009d3Bj17Zh1N1
        MgynEp9nrDt71k8w7kJSRn/8zEdGmcbKop0M3SmCULrA123BSvITMgcj2zYjaUGD
        cZiGChdHGHhbxOKp0RPgu1Bjj3RIa1+E91J3gJM9vwrdLgWub/HlthZTMf7rw92+
        MexGHOJCIUg1nqsybKhstRXQO2lscztihMvVJifX6niAlt5o9GfIX73tP9V84fTb
        zGwAgWBAkSdTn/2Ythhw9wvNO+0cHV1QIDx4ASP3lzaDqAXgsz3aeUbQtJPj5PHt
        DHC7kBxT6Wyw39gZoNzijjWxtnTbaTFd5hK0Hr8rAftwv/tFU6y4ci3LTg2Ciz8x
        x3OT6gCImDjU0BPK9KN6OV03/Fon/CX/LJWTyd+fWPVTP6NsqXfUMtaH8KjUEW71
        0HXXR68pfmkGUlsdJeUXXgku4EezAc4o3epsmGFMOapLi+RNgJjq6KJ0UBYwq71n
        zw6TWCBNk+nI9t+cDoag9o13JZcgBA5I0UWu3JllRF3Hw0rqX/LcvJMtgV40aUOm
        libphtGRP1FmaRwuf+ieWmGiycXi/zwPR1Zn8TfgNW9X79mq5PyewpPZJVqgCIPh
        JgJgPkRcW0FhjX+8rvSLrpBjRVQcHEb6aCPEwWFoFhf8pCvy52+2rX6hOUjaGPNp
        cN13h+TBBHsNBT5UkCICYG96/Imwj1Lp2icXapAa+0PLOyQ+zCptt0TthsSNnQt0
        KC+j+bKIh5mwQLmWqXQ8/2vQpK6Cj/vd89sP9iZhF3QXzpncnf2VGClt8oPLBQkb
        C8QWqMxlObpspyk6O3AWz04hmOUfugXGOIlLDv1kitSNfEupEoC2Xv/W74e79GLZ
        rnKfT++aBEsjMNFPncUbbwLRnK7arb73e3Mc7+tQd8n+Xx+zni1++/eQ1G3ieP90
        6jTkyHoxAc9cnQRW/nISpslJq+ifX3AInd7JwM0zF5krhF9ekNXX2RMqJoOQnejC
        3Oj14ltemxgwPyxvs4NbzP0kT08Zw1q2RBenH1vWRb7CiPQB0xMJZ8qF0L801GaF
        aenKotCFWQ8XN1xdIkWm8gjlaH/8WQJctWA0trtnqsMijLDpF66dt+KCUOnt8jTm
        R3iSLB1KtF77PE2WS1W5CnPVDySKQUrqK8hrpGMSDIUXm7wqR8TskfAwwtEvNxGH
        v45wWhczLDSatSpTWU2hYh8KbcS9yKZYF3LEWWZy72yvhhAwVJztnT1TjCmfaegP
        Irz3bSA2oJLG7spKBrhtSe66fAYze+VyRZRVLooYTgGu
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA512`
    static let aes256SHA512 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIDi9M6jfCZUMCAggA
        MAwGCCqGSIb3DQILBQAwHQYJYIZIAWUDBAEqBBB8Y9QE37k3Y8wud6F1P975BIIE
        0F9uOoBhOacGaFNM/s8MvxhWaNl50M+fPrZc5kOxQknHqrAP3gj9Udk1kyoDxZqe
        b1hSSJBWy+MfH8f+yKEKGkgDrI+7FuakVXKg18dRUecMFjWd9wiLwwr0j6cCqUrG
        WQ3eBsYgUE3ET/je4bWLTFUamEtK2jH9CRBZjPgxdRf8M0xFR4KZA+mfjX0oVqGV
        fFM7V/Qm+C8sV2Bs4MZk7171GotKAU4BhH9Zwn1kzd1HUYoVj8bdru5pfogzk8eC
        Qeq40UcRbZJi0d1JsSY5KINoFjs+Orh8wRdwhmwqyWIvghd2GL1QtQSbVjw4LE+J
        Ude3IYFF7yy1vYUzgNdlVbB3Z6A28b5tQ+XAI+dfyW8DKApvqnEPcwiHDOM/Gbu1
        hwEPRurQF4JsUMpKcABWLr4JpkULcR3yw53MM+411FGpDiwF87voqQmW7cVil/Gc
        ywEozIxx6VaVsbyRVSFqtDCRP0cLK0kgo5jEeYpPwDmi3cp0P5nz89mnhiAoCnud
        zVvkAXKe2yiZ+bjkTTrN1B6+jFrnTNyVllsld1RpabtUXQIkNzpjn5CVFCZWzyBh
        +EtTpQPaSgWUyhxwcOz+mS7U1aruI9yJj9u2v2OWe5j5XcBGBBVmWaww3WVRtRaE
        zjKuDGahSnygwi1Vp6lMzv6H/cZ1GCJpqW84cvKS3BS/1cT4aZvxmQSXPNCoKjkZ
        vwwZLMZiwgtGkam6JcltQUC8YmXD/s2WBdl1jiFzy0mIfd6wHJoLVZWHVUaCM+uc
        JAKc+4pf2PLm+f2u2wwTV7+ZvFPjlOjFD5v71VRliRhOoPdTJ+4TwO5yfp0s9To8
        Jp4ZGrlWIN049cbUeEkH1W37XFxkqTYzmsZPLjcKt4kBFjRL9B5bYzVLHapRNMwr
        ulHx8y7U87lqq34OX2enkzN7eNPdsbhfiMhyQYfAYPrIM4WOzIaQetlySljM+G9h
        6Gxaa/OlHyQW4IRu4lmZa0Ih9eeZoSCMIyPfkdPIcyxkwiOTW4y5/QEgp/bex6vg
        fq/oll5C4n5Db9wasgeAtdSg54/DqV8XIqdMNcJRkJy3jATehfGdpswcL1VWqWTN
        xXd3mJ74ujQ5jOZeSeq2rwdyW/gBlo7ygGfyq8qbFPk5U1QnYNTpVWzBiJ5HtiOm
        kGxu/t+Ud5Skdf/XFjn12NZvg4mN9bFfSuIlPLqAae4pSLXwJdnSNs68CFtmSwJ7
        jsNVhShXkgHQnY4thzPp7sEbN8lGJjmc13bEq6trJJ+1kRiebdtPeQ33QV2wILzy
        WrQ+vzA54dsbvd2rlv0Da0qfmDDGOGjAjgbqsqC99ErEqJw+YsMz4f47OtlQHvYU
        AtfZJDSZnB2rHE18ngGZur5CBTobl7Q2Y5NzN5nJ+jTM26QJE8fA5IZbCZoE+lJr
        rppFRqxbXG0Kfs4EBzjPdUKxEireAtAODEFFSxtbpu3Y3AutkKVLQSEFBjN5f0A2
        Ojriv24kljaoKxyTVqn4w5GA3iYmamVh3EA+y4y+dzsOHQabp9k7E6IXaWJJ3vhU
        EUbjobszwNiYyXKg3kqB9x0S1ok+AMX6IN6olaauNb9vdYish3/T1Ij8zjmMe9nb
        e6i8vfGdKNOWO+7Qb9Us9afMQtwmMk9/cuMRWp1wbnwO
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl pkcs8 -topk8 -v2 aes-256-cbc` (default PRF hmacWithSHA256) with `unicodePassword`
    static let unicodePKCS8 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQILcWZtWqpiLoCAggA
        MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBBT28ntkhjfLiq/qHtrN0D9BIIE
        0ONwByagnkGs/MT6TZHDyE4BpYnLcQVFY/RDueZLblO3GsQL4HNF+hSudjGW1U2f
        ywyLHOxyAfw49J5mqRtrHhEXEsSP9BJrQts+EZAeKuctlUTTYBCNNl8dHMIZt3+P
        J99wTjiNNUBY6morrvpBOstBLGJkrsXmZ4aCOjkTV457h9EXMltAVGUPysu9Ohz3
        KJWEwmbh5MwTKEHgcO4IpJusqmly+EL1jyrUnjYSlqIavO/Kz/TATt2qu7aagEgX
        pCGs6s0mayiqr/x7sit4HNP8jar4QZSSwH6cPKi2UL+tXC5cKSF6CIYtwCpHdHa9
        fzxpzCdQX8R+n9W3BAa7ITDu1+6f9g2P7lcwddGCX/yWyV9F1WkLPcx1zAPx1W06
        8mlYLNsmzITBRT01qzkDfSOPbDpjYoEanQrOdc+f0P/ghLwbnEYMB4aJ9lbx0+do
        uD2QzO0URgB1Tbk7n0Cpc7rSq2Riw+qBx3CJbNoaKokdcWqaR7UbKRl9WYNQF+Xn
        yutEcFxztPI35Q/XaS/dyXhLH1LCFnbIiTE6TPf948v+QSRD4Y3gim5mumENmcws
        1ImI5h61udYfccbxqggGR3Fl4+6qL5dpH04nOQzdFsCiH3FvSIWiUt6PWf7ZvzM8
        C3nwrlsJDs+jRP0Bz9EMU987ToTyKPZnBJzmz4xFGotvnftvJvb8R96ihW1644d9
        29uUBEwJu6XWmX+hGkgZXFm5NkFF0eScFNiN75M5rnwNYacEn78HDdPQEfe2ZL94
        3ltQbm/0xh5eyqo3uHEOUZKUbWKgigfF+guGmwEocuzN/GA7ppTzFz92X8wy3HLz
        K6mMSoHJ+LsqPMMax+WU/zxIgfYo4ktoyjVVoX2WFPTqNU/StnXYF0ahPGL2KPPr
        aZ+dK6Uy1bvcMoloJ9nUQh5TuuUN9Kneo2ehcpoGsZSdJfLn5Ve+wOez9STg8RJh
        kyW9c30y5el0Lu1gPf4kSiwhAAe7IFIKdUoDFtT8oSMTYPO2wUPaktkOrw93uSQQ
        KnTGiRE6KY0/JAYEYPLPO6nqUAB6g3lE/Ib5xZGGd4VFyEXTNSwDec0Lp5TML5YH
        2UORLCV++m935xaTyOce3AYU4rg3RR4bSqNuvmQFrsU+g2hQifUz+8zqrea8SAln
        +VmTsDoXVx+oeqMyBkP5b2oHRLkcZlC8Y4aFYW3W3ZqbR2KjL1T+R6WjGRCxbsWE
        wbHpk/txSVbwEcgWvqN1Q1G6uVIrE3nHD+RQ7/5Xetv4S3wPzLqR4GzqoSIPbFZ6
        Ts0xjR2asJHiakZLF+E0syYsxQh2oGFci4cbtrmShwEX+Zra28OlOp7RC7auJLEC
        6bQdlW/abIh+abnmFmkDNmN58e3YscFPVZP/PcngRd6DezEEBIaEwPrE7CZwlS5D
        Tz7q36X2yNpbp1GvVT1NoWWwLVUAIVCKaZ2h38aNWt3wgMb94pFPD7H/gi9u/80l
        8rlQp3GEUnMSeBefeZgGzkFc/iMQkox2cWBg8NSgL+vB8pd2skzUz9mealaEMkZm
        xrFwJ7S+fwbBQzdSpIMLmYmrLCqpaBEm+o+557hdNDcM77RkeArXTdu8GcBV4ZSk
        GrKwhEU9kUggH4r/ZePgDa+ZLv6fevAExbnHBe04qeFb
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl pkcs8 -topk8 -v2 des3`: PBES2 with a cipher scimctl does not offer
    static let des3PKCS8 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIzOCLiKBkh40CAggA
        MAwGCCqGSIb3DQIJBQAwFAYIKoZIhvcNAwcECM2MH14tDWbvBIIEyGohkcne/kcy
        4GmqsMw1XaD7sFSMiLuPu9vgcE3aZNWWaWHiQHNPz0jJNTxdFg87Z5xIMphs9RPZ
        lsjgAdtPiXfwYyxdbfBXqrwgHQFEQi0CJHGtSsYOf9lNLJ3F+H9KDjI2Smd7FB9N
        ANfoY4+2lv2731O7fyDEUb+hXAzFWY9shJcXiZTC63rWArBSoq9v2ySiq611+gzA
        g3/NNcAceq0Otd2PaU+b/pX+pylLMXXef6DVeJOsoWPGEwCDe3BB1UaELIkS/cqt
        GYG9oHweSUz8rkEXLkGGr2f21VYhRQpm/IqHKQccDU5U4BhTAWUab1WVu/sezwiz
        aeXP18sF89U0XdwSSezebcXIaTT8cMsKEj0NATuaCl064WVuerDRu/lZAzHEVqNA
        MHc/3HFXnwGEJgf/6qWxAfuQzNCV/lknq0AHrCX5BJ2lQYhA5awPdOLY3DifsgSg
        ZyMc2lKR4sp+sDX5XASDSI0hNoEG2yXCVoExMvc+rxhIeC/iLzEXyX5xk6Q0uAAB
        5uoP8k+oJVskHSNAIAdTrneCkbHWcgquPoERjKSkbnoujldEfcWu4wOEndmkp3tU
        vSb7U75gj2OVvQ+UGIbtSl5JkEPbShRxjYv8kXN5uNG6fqzM5bcUxSzOLerH735d
        ASiRYqX6JoMc6y3hptp+X8qZAf1kq4EXYUy7I+BemUHW24vGdEvjarxmtLPpFRfa
        pu+3kE699QctnaGuDIgt836rj82d5Hv587nGjN2qxAq/i/hhilxBa9X6Ubw42Teb
        eksi4A7fkCZJfwVKjw+VbmPSlQtwSfvWO2Jnvq7dl1KRFKQ7tLSC6OyczaD0ryPx
        lh/QK7N7ZBtnU+mimSuWSrsh32WS6f7vUnTpSmSZtb/ta15u4r7/3D590LZMpiHk
        H8rcE3PzDgF6fESAhYVaR3tNt0jkWXeulPwLM84mpGtGL6VZSttFNBqd/KL4hT5J
        405UVlDh4T1yVNmq9ptq1GNcVqFip7UHvRSIj2/EBIA9w7O3J8DCRfLmFVgaRgqq
        2j88QXX9slqBED5ATfyhr6NGm8sCtahJMwMi37AaFHW5TwkxlqYKI+xSKo8jQ/Mq
        wveHItVw6Av0y76MdCtIOnnPIoTpQ9UDD0KlUWNw+fEDm3ENgcvKKt+oeU/z6aqx
        0MdpV8E62xnHdrSakd9hCQPnEVouesNhdiB0rcxTSjlRU+vLReuPlLsnOLRbm64Y
        97IV/7dek69n4qSv28U8yQ7GhHZs+9Ny4b+rE8LvIi3WHBz580kpQBGj9SS8m3Xd
        pG5lNZwZOi+Yc3kLKkB+QFNOC2QpRAz+tvQDtSnzJPs8CJJS8kVeQrmKDWQKuyfR
        NRGT9z8IB41aF9D2MJXmMcHp+KevCuYzlFWiUe977yOzz96DK18hP19KtU1pYMRv
        EGzvo0wfniZByqsrPSKR9nT2QMmhT4WZMs8sOrtuwF/Z2yKb7doSIP9vgMyTgek5
        sufeqC8VZpEBgbxhADBhyAgzOrnCXhbI9S7FiXhtf4xqE5/OUYJLdPBjh11UI15E
        gQYth03dRRU22Ku9KagyFFWWB3j9k2fQNJFYb2V7b4YT/xewU6g3YhtVBehFUeJR
        eS7hwi4b3qbyzNfS+7G9Fw==
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`: the old PBES1 scheme
    static let pbes1PKCS8 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIE6jAcBgoqhkiG9w0BDAEDMA4ECLfMbsBpvw9gAgIIAASCBMgxhIZwNJu2DStn
        AOBE19HwqNFdylh8TzBCDmo0i6DVlyjz3cU8WWFbGJbbbdYQRXUHEF1uP3NFdGyT
        KlHs/RKwE1ESzPUalv2I48dmDcecwnpl3PU2inyEvtSvrC+GC8IjrfHryJCzVlyS
        FVjNbAKhdVssKB3eoPdIzZwls+U2fz7SUqwQnXTMuimTFKGX1N1KWnoqhueMcvqR
        gQLjpW2qjrufMKUE0CvM8kw/OUyNMjzziQNyUaMCwAghwyN28r+bc8JmoPBly6Af
        Bnu4JIDdXXyE8fzyRk81IiZmptwjXyqUyn9BP7pzt3t5JyTwkRXmlIVeZKEK6vfd
        a/XV8Ou07U3ZDTS4VhMWLlJzA+o7Jfa9bR0NIJsnBvbQRttowLB5i6XzbuvzPaz5
        71pwnrcgcOko66F3pyWNPk4rDRGCww2P9EqHvzL5flnteTmvPUYCE0XHnSS2YsZf
        OFV+QE9JoyX2sbrKVlMB5QAwPeAKX1uI5JCccAS4qG0kiGzGjFR9c2Me69cCSzV4
        5SbVgqfbuBX8JmZCf1kXtZUSVESDCR+nldhj9wbG846QrtVUUBrazdkCdTLLsYw7
        h+j8dp11fNyD7P2+REutdTTESkowv8yQWAP4D2i05DjJP9O0CAnRkocfZy8+J91H
        pf7vgTDD1u9jimzTzwT+3Xz7ddBLDZrq2zwnd6LAxVPTJDJwvDEYIO+Je8RKCsa1
        O4vs5/OvjZw23s7vusm8RfRbAjEwdrRp6sC+hlsIuSWxmqRvXpAVAEjcI0vBxdHb
        z3s3Yof7ZtXO3eEZauiC2tBDUGPflmrMhCvhduF2U+7bnk9ZIIFktSuIhYWsio9d
        S3qZAlGLrm7/Vv4liGbXb5SvL4VlYw3oEGGj6VeSJTX6E1x7LTxNtTTgMuruFCAQ
        s6T7hjU8gDX0eG0JorRkDWA2WMvcGxsOB6RRh3ye8oIRUOdiPj5ihpq/PSn38Qm2
        THu6LC3Ib8Ltpu1I02lcWqP1eWKkmcAqsVXk8lWbaJ/nJ0HpT4FJw8Uz8t1tCK/X
        jLnj/7p8JNQlc0kF88BuBe5o1xh1DHk5bgq244N7UHMLTmX33mSxDhxf9o+iyGUG
        +XrgizVoCzwSl6pvQFZmGuTpa+dApgnj183X1htSZfnlXv6FraFRBzJ6RgEdJzeh
        shvAdNxBk966nRx09Q4WK+CbBvTrAGWsC7L7o1fwJvVa5PmXX3t78phQL62C5tdN
        P7OOjvs2pPQt1FbqDRGp+ZmeEniSa9xRQvfKPbbxFh2qigaZZouelcYcAsgIFqo1
        4lgPSE0WymC9WeBNyWPS1vYE1qFvdOkJgIxpFyqhWs3aqfP9TKkojSWWXVbqtJd+
        RG8w/wfMHJjWQNBsz/H4Lc/0ySo8iPFaF3D8a3USOq+hfvhsAZBtu7awmcv3TvLH
        sMrat9UV4dyrSQO2Dw30Q1c5YR2NToNxXpMDCCW1LxCYViyW8fqpB4bb24O31a0C
        YEkZSY1rPOI5Fcxwjw9xk8q01eD5YV7WDI3zmPdCbpmHrftJSN+YfK4YBY4IQMMo
        vMktZeJqAJ/BlnhVK+Nm3yqZ5o4mvFZSsb+0X8jDSuXJmAkKn93/JeW0LYRbt779
        WutS12wH9KCmldW1134=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl rsa -aes256 -traditional`: Proc-Type/DEK-Info headers
    static let legacyAES256 = """
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: AES-256-CBC,1A7DA88B3CD4CF35A6A5D0F58A96ED3E
        
        u3BtTrc8/46CFkOyxmIncrwRF7Rf5HOCA868oK9H5XHC+qfR9BnanFkQLnkVYrPG
        blO2KOSDZLdCCCXDKJLeyIoCT9xaojSfhVafcvkuTq+Fj0hz7mQU6JzcQfu8iOrP
        kaMwaL8hp64yvbXvN62CzN3pJKM3RAUwWsdY0VD8HTzJ6cVZ3PyzzSUBpY0oZhdu
        KsXUV2AYfWtRy8Klg/at15a/LOY1EqFyMJX5fCbGd4Xe0Z5tqFbGqb+VKmc1g15y
        UO7vAzPmSdrOe50VEAT9qV79V7cY3M9rD3EuDW8RxXy9jCFpzzn9SKY/IeNdtm9L
        oOfPu4wpIrlk9OiV+ifR9kILiXlLkSQpDAeNhxmzuSSh4EPRKSqBlXxkzf3sm5OV
        Wm6jB+GYCjvvWDlGsEFQbQOmNCCd0iVojYnc7KCpi+qL6de5GnuuNAkiXHFt5PuD
        lJOvSwyYbFj3inDxsF598uAuAVwF4USlTd8v08Oa/FKId0U8CIKJlfCJb9f3ppu8
        oPDv5VCN1ajFjItEejVNdEvwF9gM40Hru4ReAymAXEXDvPbD3UJkXeB2kdbV05sY
        wuXcCktopyxjUfGJs8N5d4XgNzBv/6zSSQf+2X5Enf4NccZyLrjOPZKoqeKabavX
        59FbjjRDvwyYSTblmfTFenuJ/VxfwyF2ZLcluM+XcYPo1FlqdFoOtHCQK458LAU3
        6NYuCahgADptsxfjgv3elngccd071nKYsTZ14OwqxKXoZ9+z99gujH/I+6ax+rYZ
        lBd/hudRAy/pSWwAbhzo1rk3RLw6xWWANfSzxXV17/A7b7VQ2ZtSYxUxrlPEuad0
        JGgVJTAe67TXloRPT/Wl6zJHe3kKI+6wPipJzetd5l3/p+ngGzFdK58CUASlootD
        f9Cc9nDeIsTnr1Couk8yr6Wtd+WP9aZw1VpJCEJS0xwH2zDhu/RVA1NIOKyif9ki
        Y/txGtr/P9dDHIWu34OOIDK+d5PkpnBoKoRQwlN2sj6gm/lYQ9+2B7DxzyGzqfFn
        lTu8bMFAjnMptwpXEgM43L+k2HuMEd36ByARp/G1VpZRlkX3CkJWhtWtL8ymmvRP
        eAIcpT3o+691uQsdccKrpB9+JoZYq/H6pbTFsy9tz2qwbc3hbPxE/g6w9sEGwl9i
        4J2gN03IpPg8z6NUxCU4JP7A41w9QkDgoQKIogP5ZuhL+iRFE4udySaWp+jyFUvj
        YMMmH5AzBEWVxuX/xBI1qr2YrGXbc3kjhBVDZhIk1bIvGiTThQF9BfGLLp2ZKSy8
        9qcsHpt6lg6RtXCJ50pD8w/0hP1Q17r8e2MLwcHjCxwJzgbNJrykjmhYrYdOE5as
        BTpN4IAPEM/TyVkNTUSg4ZLugBgiBqdM6A6SdpbrReKxXZUzJeuOo8Ql/2xdTJ5N
        EWfb8hFkbUMz2UxxGuE6rABtauOWpooS274b6OVP/WZM0qV1N/oSRZfMw7cYhybs
        q0fF3ZFbJhuyFuSZyEQbQev2xAE9Rhrd/0GAwnES6iG0jVfM/BTnuPAjBBENbatj
        Ew+DFeq8BX+euiwsW5SaiV2whpC1jPy8YZxZlpQ5b6pLbNOfQ7bBOpCMgpNWeqo2
        -----END RSA PRIVATE KEY-----
        """

    /// `openssl rsa -aes128 -traditional`
    static let legacyAES128 = """
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: AES-128-CBC,60E61B68426077DE57CBF85BFDCD08E7
        
        EIvsADvSz59IecQ87N9uGH3KmD9F2Uva/e90+iXlr/kQzrd4UD/Yl6l3M8f1ZZKw
        g9gu8dB3wyjx1QQyngXLySlScuz9YZrZ1hV5VZ9pCSRNeZiqtdMNW0tIKKUV6tsb
        Ths5kgsw0gc6e64z1/0T8g1Opf9ZNTF9L/IG6H22JNyq5sVMJOxW2x+K4VDssaei
        tKn3naZDJzfeaByx/DifOmr/xq7+lubvrDemgJr5fbJEyHxxhWM9a6nyDR2Ity/k
        l52DbKHb7K3d6ZNH//futLBlqDPpBKpVulA3Ev7M5T7B4tpDVI9wvzmNLYOE2osy
        Z06/QfpaXXcV7guxUyAcYbZr1H+1bqmc95U7lhXPbvkd4NtohnnCm8MFa20OykAK
        2MsbKdJHnSlry/68YaqYYhIeXqK3klBmqu7KW7BFZjISepPgq6pdb7Nf5+zgR4kH
        uOVyVjJC6oHxmeyTS9V9UanG6vaTfaq3338D5YOXN468MmW8ASLRq2JwlcTXtgOy
        6BrLQz6P424XPPWrWGXV4WB+WYhG1VHSS8lcmX2ZC5cFCyVLmLZx8rlazMaeo1hg
        Y3ANdWY6uKLNqGXUrWNc1HrWqpubiGY69z6wDmB25Xvu5pN+KwtwBxIC+n/sk3m7
        u5vwOuBCCeTZA/uTLajEkukui+Qpy1ickTOZKq9MZxJ0l1vBbuLcUStFatPytFAI
        sk3NEFF4KUDKcf88MUiGuHYBnQVKRaeAAG8RQEMmKpCaYgnpw+J9IGMcBokPP+wN
        qEfxb6oi+ylPXXJEY0uTgqXrUrJ/+GWgcGIsoo3ejlFh397/ys6IaEX0lm+G7Eew
        VgAuTRXwHtwBYKa8NqtlUygHMyqYJpTBfZfjmX481s4Vsc2ESeifrTFrkQxkqPQG
        6oUSlEy1rmojq9UCHqVQPr9s+ioPGYX3wMg9MjlKKeFB5yugMCuz+300sje1aBaC
        vMFxo0428NcKAPDaTxWok62596G0QPgkWCHTN4GXyfGvur193eZmyMSWfscj/g0X
        ntLqX1Tt/wjKWjDw6/jeeARAp8W7l/TupJbBi9KvINjT8qOlMIHxKcPopQ/YxY1M
        XAqrm5RrPgIEd4mazcDLDF5MmKk2GspfsXJ9hFoP7IiExd2um527POyaLOToGkfY
        Zflk55wxBrlqUAKTfOgU9q4xb5X9r5ydGforX8ADqHnjkKwjqOEIrHzbMed91dg9
        pqSJziKopPweGEyq49Wu8uVGHC78MmYJzbRkdoJ9IyMjToRPxNWmR40YNJjNAoEM
        avXpoxRO98+vagliGLfAFv3rvAmfPJQb2iKNV9dlkT52Y3/V6XTYbycPrAEhtved
        YZTVDQ9fx+Y60L6jjC4RlrlZhc6QZUz7j/pGOPkvKEbfIpJiHfKCO5s8wFwK5CdV
        S8ufrFQoxcx9U4RZUqi0BUezw3VNnYRy+z7wzxdzcOFpZb9ADpNOfPd6YdV8L39N
        G4vEqQ9PQL8HHXu52aQqMC37lmDvRbw1fePSjEj+v5ctKphRRZbmp3J5VBWGA77L
        VK7qXHd1H6esNpad6iq1MZXApGjHGnP/LH1u90/Wlpvg8LIR/Rd4CeFVO3y1dBo7
        -----END RSA PRIVATE KEY-----
        """

    /// `openssl rsa -des3 -traditional`: a legacy cipher scimctl does not offer
    static let legacyDES3 = """
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: DES-EDE3-CBC,5E8C2975743D756E
        
        4R6CVxIz5IxLStcxHk5XJYTpfZVOnfF4NqSmlPlqbhb0FDQER7d1YaWFePpQqXEg
        Xym0GpEuDvR2k1KTqe5n9hlrQemxHxtS6yunEhwObbTWIe+bY+tFtAcXOZsJs/7l
        pp+w1nseoxDz8ztjxIllFzb+rO/Ph4uxl+LfSR0yZHXbcIeay9STs5rhNzHLtotK
        TFC5UtxUUEgSv+YdgpGRAkqzws5NTQwwG6p7BNgj3Lub0vlG0H9TKr4W3dxT3Arc
        n6xbfOiSl3IjWUNss1a3rH/5wlSbBbq1kTWlOjz5HwPjk0O+9aqitBa8EVupx6ty
        Y3OMYw56StMal2DjMIKesdnOqhtRpGG45bfco5FQQTJW29t++ct32GVZsGBGWW2P
        TgTjGyfnrhOmMOM1MeIlT7TWiofo6ZhEQmpQVRsMEG16fmxXwFgExQoJTu57HKcK
        ek3Ki71zys9IY/8zASJcVtCOqlyiWMK5ci8qovAGhU+G4fNyg6p+2M/zCAjHSn6G
        1lE3nDmd+CINJiRsa2pKOTVcRT47/KaMDW6cfJNt2djg8LXqwtQy+U9WBS7e81T2
        7LY9pVYYDBGhVc0R+XOBuK2PfEEk5tREScLDd+WfUPm1v7OkMqAydKuM9xTriv/Z
        MKuE9FYRMOWw3vPyYUM74SkZkpbKI+5fb/xYE95/Rm27b7ekILdvMDDkqQmLkdEr
        hxJuF2kT7Qs5g3prpjJbUxcUrsXNYzEk71yfKMzwrFCG2Ldw3/pLzwnpgJNeOqWc
        klQe/pcL+d7JAJpIdLK7ZXzCzgbWfZCceYyJo/Evu/BA0qwJaByDZmQAEvDCP0D+
        j8lGxftP3SFUidhml/wbI4ho2+lvIMKxcxUNgR41/aeAvzY5kqD1Gji2uhA7dHQ9
        iiZfgguEhAS0fCHG/p8cucJbpSqZ8J+hXhhoadFUQE5RSq7g8WEzXlCOZw8VjAhK
        XFVW8/jdZ7hQcpNDtI3rXTpCXMYTbgrcya+n4Ns3UeeCPBO1Cy33MKAusg6Nm7yp
        k7riSV1BscMcWj8fdWpmMIvymrGH2Ptbvpp3orEYSoyFvA/N43JIEqSg0krXccKe
        gU34/aN2Cj6xuTnvxAIEpkmDZ/VA3pa5N1iFGx/86wA8SQikDd+gIbvWsIMyrHke
        fQFJqn9ptwLCIINKaCYFEH9RApLNXRjj45P+Sw6Cp1Nwndugpa54he+t4OCbwK6b
        NuKAJ1RkHIWmBjg+xhRy4oEpcZZM9lxeeikqAKmGwHP5lKnqxNXHsPE/WBuv8W7T
        Fqg6NJjZBTW9SgAVG5ZtQkOGRmSeMwxH+6YcktBb17Q4Ghcdxg2L9M911dsIh/7p
        nFNVM2Jb3vQ5AajOY07h4+VgmXt2D6uvDhGzx0+1XTmeHNcLioUtByJiQb5nc5Ba
        CCgF8XSPO8MKdsk9A9YwKpLiRAbtAt7iUrbOmNmMbbcnDCirKiAd0BN0VC7taUXj
        uviP1Oz47tOp6iPC+EBN0iJwcDSzJJPU1Dbh+DO9Lwxm6tf3k3tSCbTITHdBAV7m
        EBSUfluMUNl3oHc1631I1oKGY9pg2zOjhCVfHp5twMmkVPSKEPDpKQ==
        -----END RSA PRIVATE KEY-----
        """

    /// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc` (openssl defaults)
    static let generatedKey = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIbRnr/FGiJ0kCAggA
        MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBAqsnADzBb9x0I1bd8XiuFCBIIE
        0CMUnNXshMzq4/rzs4d+1q9k2Zom1tdxpmALlahcbPcQjpFRL4FPvj6bH/rlr2fO
        yXYC0pD5cEVqhM7ZC/GxMU3K7QZwzXX1Btv1/pbbsHhXIT5a17bNSgWXxUI8lbt+
        LGQEuM/apN0Q82fNxQzM+qdjqdox9J/uCdm5KI/+IPoRyAnJxe28fUiRKfg3PNm2
        YfWqPBR7vf8+rsZzd2g213oJ53h2BPf0pnJ4XspgdCxbCWegzFS/UBmHATDV08sP
        k+nmAxtMO3yZ3bFDhgpixbLpSZVHBvIX1VSFWvKcB7vAzL1nEt+iHYB1xkKZdtWU
        V0c1eEhzPYTmynE4tMhKYPE4Fa/NAzGWibes0nb7Str+gohZGsuIhcfzmwvKSf+O
        hAYzxIsKlLCCPryiFsCgg5a+jG2jUE1mJ74VqFNlctY3hWCz0nwzP5OTNQlDZ5M6
        KTB6S/SwgyLJeSBJKNN2GWMoKz5SiKYgAMUaJBqCUgjPiKxFnW2l1Y4jK6TpjkNF
        j+0CYo0SOD5UXDUiCfIckCSkuTNEvGC4LWUgcU6P20AyEGiHtDRIBepw96EhpVUb
        ad637J1529p0RQYZf4wBdCkX8Dxtwe+pfO9t84UfmTQrRondMIp5yxhRg2ALgDyN
        RhMH+Zp/h6LW2yPBNgT9g5x9H0QnlSe1Pci4Mfw/qdXutHuyLOsG9GFsd9ikFh2p
        Dnl9W0BvjaTusV1Z71COkCnHjk8tRkW7vlwnSqoxAwdMw6wiTWndbS3YDklbeD8/
        UrjAYnJb/HeEPQ8+WADy5B6KRAOTqaTy2bR9V5o5HxagOJ6/RzlZfopPXLWiIDW9
        3bMcEzLzXChjGVu9o4OP1AO138WFsQfS3PWOb1VhJOR04pBFgzK0TiXKK3o8J1Yl
        HCUT5qfUDmvkhBySFGl4kbrB22/3qOwo95o3Q2xh4LMyPG4ug3ZfWjrnozl8b2XC
        SvBb1zsikYBdWom472QU/KbzCTqg7FCAoVfkVL34bSYqDs6hfSW2kuunnoIqH8re
        SWdB9t6SQmkQl9pZREEAAmnp0UeFPPpshnKiQCr4QOfU3V6hTnYFneDBgiejTMXm
        jpVncBBlYpiyDTTnpl/svw034UjUojwtzLtQv5kdD7CJjGoIa86KR3Dm0oaj1ar6
        30THJxGCvkeDiACUMdzFNNSQGdUCoaaYqTEzdFBe5UHTRdPv5TIO7I4RbnDwWuA5
        +rNFwOG2FZwD9OqBG9r4MGdzNkIk8+iy2+ozxSCRJEEMo1Vl8QcZmJINsHDfALQn
        NKno4yPaEfAqQpy+SIhhwALTVQC2QKMMIoLDB4lxZDQ7AulczI1gQD18xHicE5Ig
        EfpGzyqGyjxA77rY4DFxpQobUp6rXHBPT16aAM8ee4PGcotBKbuSpVTZPJByRBuV
        5ddPs4mXuQ73QrpXQIuJBWGwEPutQyY8JUzr3Pl9tZSbKBgUQuaaRpM9NtZCWJJD
        xd/E30N5HPweMBxfGgjk11AI9ao5okY7lIoTvuqDBPGTUhRNRvTWrMoAtMpFZ9RA
        +O2OpdFBAguNaWi0qnidJxHOHAqHbmIYUSh5u6dazF0OmFbwmN/d+OQfdJc+at3l
        9BknrtBfLW7Gv11aQuURPgkKphkscb6MLD3XIt2Lw2U0
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl req -x509 -new -key gen.pem -subj /CN=scimctl-encrypted-key-test-only -sha256`
    static let generatedCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDNTCCAh2gAwIBAgIUOVB2DOj+mVjj8UlI0bE9q8HF/U8wDQYJKoZIhvcNAQEL
        BQAwKjEoMCYGA1UEAwwfc2NpbWN0bC1lbmNyeXB0ZWQta2V5LXRlc3Qtb25seTAe
        Fw0yNjExMjQxMzAwMTBaFw0zNjExMjExMzAwMTBaMCoxKDAmBgNVBAMMH3NjaW1j
        dGwtZW5jcnlwdGVkLWtleS10ZXN0LW9ubHkwggEiMA0GCSqGSIb3DQEBAQUAA4IB
        DwAwggEKAoIBAQCzejh/MdwilSObCWHmEVm2cRHLTcOWVQJ69o5q9bPeFX6eCsRZ
        u/u4C1C48CfLfryq3qDSrF4/7cYkfLR0qIOvk3yuL6rlPMFr9G1mnKBcBGp2PqjE
        Ya/TKGKeHl7obTnGALKyI3iagBqXMJDKPYg1sBPI7BDUdboCzeyYWBNf/CT/mXWj
        ZIajMEPgutD71qa08ikdrl2Yoito/Y17/7rwIDGrySHWrlwE9Z0HOBeFgnDoQ9Cr
        xIlZ1fj8LBThNiP4kgeHBgFjDKgE+OnwjiJoJWslKUi2g34yuaO+Mmb/rpc/qweH
        q19ujJ8J4UWBMkeKVXW0Q3COprJrPIytvWKNAgMBAAGjUzBRMB0GA1UdDgQWBBSr
        trTQqpLYzdKKcUzFKkMZlhfAWzAfBgNVHSMEGDAWgBSrtrTQqpLYzdKKcUzFKkMZ
        lhfAWzAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAbF5Yk+zYt
        OclPCw6OUVP8iSKaOFQUSO2MGVus+NcEd+AIrTVRok9aelB+Oq+JrRxoUJdfYdtR
        yZO7x5X+xbNhhMOikVfq2jSvLrV3PRVEjYQo5mvyii7GzTjJ5NPiQsPs17ha7+dq
        TY76nLUHa6RPElzzt4H6D17gwvo3wVlkyPGMUiSEslxsz48Zodx8HKFygKf2QXvL
        MYM+FvLQM46ZHyZomD1G9rJxD0YzGx7nadqoe8rbrm1thllFSL6z/MGLNl8vp3wS
        9EX7dQBnH7ZSBICe5TwnLC2/+SBAo13Y3Qax5y7D0IaukDXQNVsvzE/KVwQYw7/O
        1KwfSA2Vd8/4
        -----END CERTIFICATE-----
        """

    /// `openssl x509 -in gen_cert.pem -outform der | openssl dgst -sha256 -binary | base64url`
    static let generatedSHA256Thumbprint = "Gv0wYJz7sID-Z7lDo-GqmMn-rJsu_v0Y_BwdNsaAAF4"
    static let generatedPortalThumbprint = "2C04B7C84010869383F1E2ED15F1B59F7445F10E"
}
